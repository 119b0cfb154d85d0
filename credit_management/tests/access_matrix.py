"""The access matrix of an addon: who may do what, tried cell by cell through the ORM.

How it works: an addon's matrix test derives from ``AccessMatrixCase`` and one of its test
bases (``CreditCommon`` or one derived from it), and gives two tables:

``MODEL_ACCESS``
    ``{model: {role: "rwcu"}}``, for every model the addon creates and every role of
    ``ROLES``: the operations the role may do on the model (``r`` read, ``w`` write, ``c``
    create, ``u`` unlink; an empty string for none). Each cell is asked of the ORM as a user
    of that role (``has_access``, Odoo's access rights and record rules on a record of the
    model when ``_matrix_record`` gives one).

``FIELD_ACCESS``
    ``{(model, field): FREE | METHOD | roles}``, for every field the addon defines (on its
    own models and on Odoo's models it extends) that a write can set (stored, or with an
    inverse): ``FREE`` when the model's access rights say it all; a tuple of roles when
    only those roles may write it; ``METHOD`` when nobody writes it directly, only the
    model's own methods (workflow states, outcomes, trails, figures); ``FIXED`` when it is
    set at creation and never changed (a business rule: a ``UserError`` for everyone). Each
    protected field is written, as every role that may write its model, on
    ``_matrix_record(model)`` with ``_matrix_value(model, field, record)``: the write passes
    for the roles named and is refused with an ``AccessError`` for the others (a
    ``UserError`` for ``FIXED``), the value left as it was.

``test_matrix_complete`` fails when a model or field of the addon is missing from the tables
(a new field must be placed in them), or when the tables name one the addon does not have.
Roles are real users with real groups (``new_test_user``), and the anonymous visitor is
Odoo's public user.
"""

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user

FREE = "free"
METHOD = "method"
FIXED = "fixed"

# The roles of the rights tables (readme/CONFIGURE.md of each addon), by their groups.
ROLES = {
    "sales": "base.group_user,sales_team.group_sale_salesman",
    "collector": "base.group_user,credit_management.group_credit_collector",
    "manager": "base.group_user,credit_management.group_credit_manager",
    "billing": "base.group_user,account.group_account_invoice",
    "account_admin": "base.group_user,account.group_account_manager",
    "system": "base.group_user,base.group_system",
    "portal": "base.group_portal",
    "public": None,
}
# A model no role reaches (the cells of MODEL_ACCESS start from it).
NONE = dict.fromkeys(ROLES, "")
MANAGERS = ("manager", "account_admin")
COLLECTORS = ("collector", *MANAGERS)
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# Cells the addons' matrices share: a model read by collectors and kept by credit managers;
# a wizard of credit managers.
MANAGED = dict(NONE, collector="r", manager="rwcu", account_admin="rwcu")
MANAGER_WIZARD = dict(NONE, manager="rwcu", account_admin="rwcu")
# The fields mail.thread and mail.activity.mixin give a model: their own rules govern them.
THREAD_FIELDS = (
    "message_follower_ids",
    "message_ids",
    "message_partner_ids",
    "website_message_ids",
)
ACTIVITY_FIELDS = ("activity_ids", "activity_summary", "activity_type_id")

# Fields every model has, written by the ORM itself.
MAGIC_FIELDS = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "__last_update",
}


def free(model, *fnames):
    """FIELD_ACCESS entries: ``fnames`` of ``model`` follow the model's access rights."""
    return dict.fromkeys(((model, fname) for fname in fnames), FREE)


def method(model, *fnames):
    """FIELD_ACCESS entries: ``fnames`` of ``model`` are set by its own methods only."""
    return dict.fromkeys(((model, fname) for fname in fnames), METHOD)


def fixed(model, *fnames):
    """FIELD_ACCESS entries: ``fnames`` of ``model`` are set at creation only."""
    return dict.fromkeys(((model, fname) for fname in fnames), FIXED)


def only(roles, model, *fnames):
    """FIELD_ACCESS entries: only ``roles`` write ``fnames`` of ``model``."""
    return dict.fromkeys(((model, fname) for fname in fnames), roles)


class AccessMatrixCase:
    """Mix in before a test base (``class TestX(AccessMatrixCase, CreditCommon)``)."""

    # Odoo's test loader takes only the methods a class defines itself unless told so.
    allow_inherited_tests_method = True

    MODULE = None
    MODEL_ACCESS = {}
    FIELD_ACCESS = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.matrix_users = {}
        for role, groups in ROLES.items():
            if groups is None:
                cls.matrix_users[role] = cls.env.ref("base.public_user")
                continue
            cls.matrix_users[role] = new_test_user(
                cls.env,
                login=f"matrix_{cls.MODULE}_{role}",
                name=f"Matrix {role}",
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    def _matrix_record(self, model):
        """A record of ``model`` to try the writes and the record rules on (none: the
        model's access rights only, and no write of its fields is tried)."""
        return self.env[model].browse()

    def _matrix_create_vals(self, model):
        """Values that create a record of ``model`` (none: no create is tried). Each
        ``METHOD`` field is then given at creation by every role that may create the model
        but manages nothing: the record is refused, or created with the field's own initial
        value."""
        return {}

    def _matrix_value(self, model, field, record):
        """A value of ``field`` different from the record's, for a write to try."""
        fld = record._fields[field]
        current = record.sudo()[field]
        if fld.type == "boolean":
            return not current
        if fld.type in ("char", "text", "html"):
            return "matrix"
        if fld.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if fld.type == "date":
            return fields.Date.to_date("2031-01-31")
        if fld.type == "datetime":
            return fields.Datetime.to_datetime("2031-01-31 10:00:00")
        if fld.type == "selection":
            values = [value for value, _label in fld._description_selection(self.env)]
            return next(value for value in values if value != current)
        if fld.type == "many2one":
            other = self.env[fld.comodel_name].sudo().search([("id", "!=", current.id)], limit=1)
            return other.id
        if fld.type == "many2many":
            other = (
                self.env[fld.comodel_name].sudo().search([("id", "not in", current.ids)], limit=1)
            )
            return [Command.link(other.id)]
        if fld.type == "one2many":
            return [Command.clear()]
        raise AssertionError(f"No value to try for {model}.{field}: give one in _matrix_value")

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def _matrix_module_models(self):
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", self.MODULE), ("model", "=", "ir.model")])
        )
        models = self.env["ir.model"].sudo().browse(data.mapped("res_id")).mapped("model")
        # The models it creates, not those of Odoo it extends.
        return {
            model
            for model in models
            if model in self.env and self.env[model]._original_module == self.MODULE
        }

    def _matrix_module_fields(self):
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", self.MODULE), ("model", "=", "ir.model.fields")])
        )
        result = set()
        for field in self.env["ir.model.fields"].sudo().browse(data.mapped("res_id")):
            if field.model not in self.env or field.name in MAGIC_FIELDS:
                continue
            fld = self.env[field.model]._fields.get(field.name)
            # What no write can set: computed without an inverse, and not stored.
            if fld is None or (fld.compute and not fld.store and not fld.inverse):
                continue
            if fld.related and not fld.store and fld.readonly:
                continue
            result.add((field.model, field.name))
        return result

    def test_matrix_complete(self):
        models = self._matrix_module_models()
        self.assertEqual(
            sorted(models - set(self.MODEL_ACCESS)),
            [],
            "Models of the addon missing from MODEL_ACCESS",
        )
        self.assertEqual(
            sorted(set(self.MODEL_ACCESS) - models),
            [],
            "MODEL_ACCESS names models the addon does not create",
        )
        for model, cells in self.MODEL_ACCESS.items():
            self.assertEqual(
                set(cells), set(ROLES), f"MODEL_ACCESS[{model!r}] must give every role"
            )
        writable = self._matrix_module_fields()
        self.assertEqual(
            sorted(writable - set(self.FIELD_ACCESS)),
            [],
            "Fields of the addon missing from FIELD_ACCESS",
        )
        self.assertEqual(
            sorted(set(self.FIELD_ACCESS) - writable),
            [],
            "FIELD_ACCESS names fields the addon does not define (or that no write can set)",
        )

    def test_matrix_models(self):
        refused_as_allowed = []
        allowed_as_refused = []
        for model, cells in self.MODEL_ACCESS.items():
            record = self._matrix_record(model)
            for role, allowed in cells.items():
                user = self.matrix_users[role]
                for letter, operation in OPERATIONS.items():
                    target = self.env[model].with_user(user)
                    if record and letter != "c":
                        target = record.with_user(user)
                    has = target.has_access(operation)
                    cell = f"{role} {operation} {model}"
                    if has and letter not in allowed:
                        refused_as_allowed.append(cell)
                    elif not has and letter in allowed:
                        allowed_as_refused.append(cell)
        self.assertEqual(refused_as_allowed, [], "Allowed, but the matrix says refused")
        self.assertEqual(allowed_as_refused, [], "Refused, but the matrix says allowed")

    def test_matrix_fields(self):
        wrong = []
        for (model, field), who in sorted(self.FIELD_ACCESS.items()):
            if who == FREE:
                continue
            record = self._matrix_record(model)
            if not record:
                continue
            value = self._matrix_value(model, field, record)
            for role, user in self.matrix_users.items():
                if not record.with_user(user).has_access("write"):
                    continue
                expected = who not in (METHOD, FIXED) and role in who
                refusal = UserError if who == FIXED else AccessError
                wrong.extend(
                    self._matrix_try_write(record, field, value, role, user, expected, refusal)
                )
        self.assertEqual(wrong, [], "Field writes that do not follow FIELD_ACCESS")

    def test_matrix_create(self):
        wrong = []
        for (model, field), who in sorted(self.FIELD_ACCESS.items()):
            vals = self._matrix_create_vals(model) if who == METHOD else None
            record = self._matrix_record(model) if vals else None
            if not record:
                continue
            value = self._matrix_value(model, field, record)
            default = self.env[model].default_get([field]).get(field)
            if value == default:
                continue
            for role, user in self.matrix_users.items():
                if role in (*MANAGERS, "system") or not self.env[model].with_user(user).has_access(
                    "create"
                ):
                    continue
                cell = f"{role} creates {model} with {field}={value!r}"
                try:
                    with self.env.cr.savepoint():
                        new = self.env[model].with_user(user).create({**vals, field: value})
                        raise _Undo(_plain(new.sudo()[field]) != _plain(value))
                except _Undo as undo:
                    if not undo.changed:
                        wrong.append(f"{cell}: kept, the initial value is not forced")
                except AccessError:
                    continue  # refused: as the matrix says
                except Exception as error:
                    wrong.append(f"{cell}: {type(error).__name__}: {error}")
        self.assertEqual(wrong, [], "Creations that set a workflow field")

    def _matrix_try_write(self, record, field, value, role, user, expected, refusal):
        cell = f"{role} writes {record._name}.{field}"
        before = record.sudo()[field]
        try:
            with self.env.cr.savepoint():
                record.with_user(user).write({field: value})
                record.invalidate_recordset()
                changed = record.sudo()[field] != before
                # Undo: every cell starts from the same record.
                raise _Undo(changed)
        except _Undo as undo:
            if not expected:
                return [f"{cell}: allowed, the matrix says refused"]
            if not undo.changed:
                return [f"{cell}: accepted but nothing changed (give another value)"]
        except refusal:
            record.invalidate_recordset()
            if record.sudo()[field] != before:
                return [f"{cell}: refused but the value changed"]
            if expected:
                return [f"{cell}: refused, the matrix says allowed"]
        except Exception as error:
            return [f"{cell}: {type(error).__name__}: {error}"]
        finally:
            record.invalidate_recordset()
        return []


def _plain(value):
    """A field's value as a write gives it, to compare a record's value with a tried one."""
    if hasattr(value, "_name"):
        return value.id if len(value) <= 1 else tuple(value.ids)
    return value or False


class _Undo(Exception):
    """Rolls a tried write back to its savepoint, carrying whether it changed the value."""

    def __init__(self, changed):
        super().__init__()
        self.changed = changed
