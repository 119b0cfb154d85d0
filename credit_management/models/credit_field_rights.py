"""Fields that only a group writes, checked in the ORM (``write`` and ``create``).

Screens hide or lock these fields, but any logged-in user can call ``write`` over RPC: the
models that carry them (customers, invoices, sales orders) call ``check_field_rights`` from
their ``write`` and ``create`` with ``{field: group}``, where the group is ``MANAGER``,
``COLLECTOR`` or ``METHOD`` (nobody: only the models' own methods, as superuser). A context
key never passes the check: only ``env.su`` or the user's groups do.
"""

from odoo import models
from odoo.exceptions import AccessError

MANAGER = "credit_management.group_credit_manager"
COLLECTOR = "credit_management.group_credit_collector"
METHOD = None


def check_field_rights(records, vals, rights):
    """Refuse ``vals`` on ``records`` when they change a field of ``rights`` that the user
    may not write. A value equal to every record's current one changes nothing and passes
    (a merge or an import copying a record's own values); on creation (``records`` empty),
    only values that are set count."""
    if records.env.su:
        return
    if not records:
        # On creation, the context's defaults (``default_<field>``) are values too: Odoo
        # adds them to ``vals`` after this check.
        context = records.env.context
        vals = {
            **{
                fname: context[f"default_{fname}"]
                for fname in rights
                if f"default_{fname}" in context
            },
            **vals,
        }
    for fname in rights.keys() & vals.keys():
        group = rights[fname]
        if group is not METHOD and records.env.user.has_group(group):
            continue
        if records and not _changes(records, fname, vals[fname]):
            continue
        if not records and (not vals[fname] or vals[fname] == _default(records, fname)):
            # Not set, or the field's own default (a record created through another model,
            # as a bank statement line creates its entry, brings every default).
            continue
        raise AccessError(
            records.env._(
                "You are not allowed to change %(field)s on %(model)s: ask a credit manager.",
                field=records._fields[fname]._description_string(records.env),
                model=records.env["ir.model"]._get(records._name).name,
            )
        )


def _default(records, fname):
    """The default of the field ``fname`` itself (never the context's), as ``vals`` spell
    it: an id for a many2one."""
    field = records._fields[fname]
    value = field.default(records) if field.default else None
    return value.id if isinstance(value, models.BaseModel) else value


def _changes(records, fname, value):
    """Whether writing ``value`` to ``fname`` changes any of ``records``."""
    field = records._fields[fname]
    for record in records.sudo():
        new = field.convert_to_record(field.convert_to_cache(value, record), record)
        if record[fname] != new:
            return True
    return False
