"""Workflow fields: set by the models' own methods, never by a direct write.

How it works: each model names its workflow fields (states, outcomes, trails, what the
insurer answered, what a connector keeps) in a module constant and calls these helpers from
its ``create`` and ``write``:

- ``check_workflow_write`` refuses a write that changes those fields with an ``AccessError``
  unless the environment is the superuser's (credit_management's ``check_field_rights``): the
  model's methods check who calls them (``check_manager``), then write under ``sudo()``. No
  context key opens the door.
- ``workflow_create_vals`` gives the fields their initial values on a record created by
  anyone but a credit manager or the superuser (who may bring a history in).
"""

from odoo.addons.credit_management.models.credit_field_rights import MANAGER
from odoo.addons.credit_management.models.credit_field_rights import METHOD
from odoo.addons.credit_management.models.credit_field_rights import check_field_rights
from odoo.exceptions import AccessError


def is_manager(env):
    """Whether the environment's user manages credit (or is the superuser)."""
    return env.su or env.user.has_group(MANAGER)


def check_workflow_write(records, vals, protected):
    """Refuse the write ``vals`` on ``records`` when it changes one of the ``protected``
    fields outside the superuser's environment (credit_management's field rights, every
    field ``METHOD``)."""
    check_field_rights(records, vals, dict.fromkeys(protected, METHOD))


def workflow_create_vals(model, vals_list, initial):
    """``vals_list`` with the ``initial`` values of the workflow fields, unless the user is a
    credit manager or the superuser."""
    if is_manager(model.env):
        return vals_list
    return [dict(vals, **initial) for vals in vals_list]


def check_manager(records):
    """The caller of an action may change ``records``: he may write them (access rights and
    record rules) and manages credit."""
    records.check_access("write")
    if not is_manager(records.env):
        raise AccessError(
            records.env._(
                "Only credit managers can do this on %(model)s.",
                model=records.env["ir.model"]._get(records._name).name,
            )
        )
