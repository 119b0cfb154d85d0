"""What differs between Odoo 18.0 and 19.0, in one place, for the three addons.

The addons run on both series from the same code. Where one spelling is valid on both, the
code uses it (``_read_group``, ``self.env.cr``, ``has_group()``, ``new_test_user``, search
views' ``<group>`` without attributes, ``card`` kanban templates, the partner's
``_phone_get_number_fields()`` rather than ``mobile``...: STYLE.md, "Two series, one code").
What cannot be written once is here, chosen by Odoo's ``release.version_info``; when a new
series comes, this module and CI change, not the models.

Each difference, the series of each spelling, and what to use:

- SQL constraints. 18.0: a model's ``_sql_constraints`` list; 19.0: a ``models.Constraint``
  attribute per constraint (19.0 ignores ``_sql_constraints``, with a warning only: the
  constraint would silently be missing). Use ``_name = compat.Constraint(definition,
  message)`` (19.0's spelling); on 18.0 it becomes an entry of ``_sql_constraints``. The
  constraint has the same name in the database on both: ``<table>_<name>``.
- The result of a public method returning records, over RPC. 18.0 needs
  ``@api.returns("self")`` (an RPC call gets the ids); 19.0 removed ``api.returns`` and gives
  the ids of any recordset returned. Use ``@compat.returns_records``.
- Users and groups. The groups of a user: ``res.users.groups_id`` (18.0), ``group_ids``
  (19.0): ``USER_GROUPS``, to write a user's groups; ``set_user_groups()``, which the demo's
  users get theirs through (``<function model="res.groups" name="_credit_user_groups"/>``).
  Every user having a group (directly or through a group that implies it):
  ``res.groups.users`` (18.0 stores the implied groups on the user), ``all_user_ids``
  (19.0): ``group_users()``. To test a user's group, use ``has_group()`` on both.
- The groups a view, menu, action or report is restricted to: ``groups_id`` (18.0),
  ``group_ids`` (19.0): ``RECORD_GROUPS``. Data files restrict their records with
  ``<function model="res.groups" name="_credit_restrict" eval="[group xmlid, [xmlids]]"/>``
  (``restrict_to_group()``).
- Where groups show on the user form. 18.0: the group's application category
  (``res.groups.category_id``, an ``ir.module.category``); 19.0 has no category on groups but
  a privilege (``res.groups.privilege_id``, a ``res.groups.privilege`` in that category).
  Data files declare the category and call ``<function model="res.groups"
  name="_credit_classify" eval="[category xmlid, [group xmlids]]"/>`` (``classify_groups()``),
  which makes the category's privilege on 19.0.
- The settings' window action: its target is ``inline`` on 18.0; 19.0 has no such target
  (it shows ``res.config.settings`` as the settings by itself): ``SETTINGS_TARGET``, set by
  ``<function model="ir.actions.act_window" name="_credit_settings_action" eval="[xmlid]"/>``.
- JSON-RPC routes: ``type="json"`` (18.0), ``type="jsonrpc"`` (19.0, where ``json`` is a
  deprecated alias): ``JSONRPC``.
"""

from odoo import api
from odoo.release import version_info

SERIES = version_info[:2]
# Odoo 18.0 and earlier spellings, for the series-dependent choices below.
BEFORE_19 = SERIES < (19, 0)

USER_GROUPS = "groups_id" if BEFORE_19 else "group_ids"
RECORD_GROUPS = "groups_id" if BEFORE_19 else "group_ids"
JSONRPC = "json" if BEFORE_19 else "jsonrpc"
SETTINGS_TARGET = "inline" if BEFORE_19 else "current"


if BEFORE_19:

    class Constraint:
        """Odoo 19.0's ``models.Constraint`` on 18.0: the attribute ``_name`` of a model class
        adds ``(name, definition, message)`` to the class's own ``_sql_constraints``."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            assert name.startswith("_"), "SQL constraints are private attributes"
            if "_sql_constraints" not in owner.__dict__:
                owner._sql_constraints = []
            owner._sql_constraints.append((name[1:], self.definition, self.message))

    def returns_records(method):
        """A public method that returns records: its RPC callers get their ids."""
        return api.returns("self")(method)

    def group_users(group):
        """Every user having ``group``, directly or through a group implying it."""
        return group.users

else:
    from odoo.models import Constraint  # noqa: F401

    def returns_records(method):
        """A public method that returns records: its RPC callers get their ids."""
        return method

    def group_users(group):
        """Every user having ``group``, directly or through a group implying it."""
        return group.all_user_ids


def restrict_to_group(group, records):
    """Restrict ``records`` (views, menus, actions, reports, of any models) to ``group``;
    they keep their other groups."""
    for record in records:
        record[RECORD_GROUPS] = [(4, group.id)]


def set_user_groups(user, groups):
    """Give ``user`` exactly ``groups`` (and the groups they imply)."""
    user[USER_GROUPS] = [(6, 0, groups.ids)]


def classify_groups(category, groups):
    """Show ``groups`` under ``category`` on the user form: their category on 18.0; on 19.0
    the category's privilege, made once with the category's name, sequence and module
    (``<module>.res_groups_privilege_<name>`` for ``<module>.module_category_<name>``)."""
    if BEFORE_19:
        groups.category_id = category
        return
    module, name = category.get_external_id()[category.id].split(".", 1)
    privilege = category.env["res.groups.privilege"]._load_records(
        [
            {
                "xml_id": f"{module}.res_groups_privilege_{name.removeprefix('module_category_')}",
                "values": {
                    "name": category.name,
                    "description": category.description,
                    "sequence": category.sequence,
                    "category_id": category.id,
                },
            }
        ]
    )
    groups.privilege_id = privilege
