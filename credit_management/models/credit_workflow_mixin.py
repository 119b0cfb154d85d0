"""Workflow fields: set by a record's own methods, never by a direct write.

How it works: a model inheriting ``credit.workflow.mixin`` names its workflow fields (its
state, outcomes, trail, figures, the content its engine writes) in
``_workflow_protected_fields()`` and their values on a new record in
``_workflow_initial_values()``; each file of the model adds its own with ``super()``.

- ``write`` refuses a workflow field with an ``AccessError`` unless the environment is the
  superuser's: an action checks who calls it (``_workflow_check``), then writes under
  ``sudo()`` (``_workflow_write``). No context key opens the door.
- ``create`` gives the workflow fields their initial values (or their computed or default
  ones) for anyone but a credit manager or the superuser (who may bring a history in):
  neither the values given nor a ``default_<field>`` of the context count.
- Fields fixed at creation (``_workflow_fixed_fields()``: the customer, the day it was made…)
  and fields a closed record keeps (``_workflow_closed_fields()``, closed per
  ``_workflow_is_closed()``) are business rules, as the forms show them: their writes are
  refused with a ``UserError`` for everyone.
- Records linked through ``_workflow_linked_fields()`` (the invoices of a promise or a
  dispute…) must be readable by the user who links them, as Odoo 19.0's ORM requires of
  every many2many: the same rule on 18.0, checked by the model.

Writing a record's own value changes nothing and passes each check.
"""

from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

MANAGER_GROUP = "credit_management.group_credit_manager"
COLLECTOR_GROUP = "credit_management.group_credit_collector"


class CreditWorkflowMixin(models.AbstractModel):
    _name = "credit.workflow.mixin"
    _description = "Record with Workflow Fields Set by Its Actions"

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        """Names of the fields only the model's methods write."""
        return set()

    @api.model
    def _workflow_initial_values(self):
        """``{field: value}`` of the workflow fields on a record created by a user who is not
        a credit manager."""
        return {}

    @api.model
    def _workflow_fixed_fields(self):
        """Names of the fields set at creation and never changed afterwards."""
        return set()

    @api.model
    def _workflow_closed_fields(self):
        """Names of the fields a closed record keeps as they are."""
        return set()

    def _workflow_is_closed(self):
        """Whether this record is closed (its ``_workflow_closed_fields`` then stay)."""
        self.ensure_one()
        return False

    @api.model
    def _workflow_linked_fields(self):
        """Names of the relational fields whose records the user must be able to read to
        link them."""
        return set()

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self._workflow_may_set():
            records = super().create(vals_list)
            records._workflow_check_links(set().union(*vals_list))
            return records
        protected = self._workflow_protected_fields()
        initial = self._workflow_initial_values()
        vals_list = [
            {**{k: v for k, v in vals.items() if k not in protected}, **initial}
            for vals in vals_list
        ]
        # Nor do the context's defaults (``default_state``…) set them: the context without
        # them replaces the caller's (keys cannot be removed with keyword arguments).
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[8:] in protected)
        }
        records = self.with_context(context)  # pylint: disable=context-overridden
        records = super(CreditWorkflowMixin, records).create(vals_list)
        records._workflow_check_links(set().union(*vals_list))
        return records

    def write(self, vals):
        if not self.env.su:
            protected = self._workflow_changed(self._workflow_protected_fields(), vals)
            if protected:
                raise AccessError(
                    _(
                        "On %(model)s, these fields are set by its actions and cannot be "
                        "written directly: %(fields)s.",
                        fields=self._workflow_field_labels(protected),
                        model=self._workflow_model_label(),
                    )
                )
        self._workflow_check_rules(vals)
        result = super().write(vals)
        self._workflow_check_links(vals)
        return result

    def _workflow_check_rules(self, vals):
        fixed = self._workflow_changed(self._workflow_fixed_fields(), vals)
        if fixed:
            raise UserError(
                _(
                    "On %(model)s, these fields are set at its creation and cannot be "
                    "changed: %(fields)s.",
                    fields=self._workflow_field_labels(fixed),
                    model=self._workflow_model_label(),
                )
            )
        kept = self._workflow_closed_fields().intersection(vals)
        closed = kept and self.filtered(lambda record: record._workflow_is_closed())
        kept = closed and closed._workflow_changed(kept, vals)
        if kept:
            raise UserError(
                _(
                    "%(record)s is closed: these fields cannot be changed any more: %(fields)s.",
                    record=closed[0].display_name,
                    fields=self._workflow_field_labels(kept),
                )
            )

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _workflow_changed(self, fnames, vals):
        """The fields of ``fnames`` that ``vals`` changes on some of these records (writing
        a record's own value changes nothing: an import or a merge copying it passes)."""
        changed = set()
        for fname in fnames.intersection(vals):
            field = self._fields[fname]
            for record in self.sudo():
                value = field.convert_to_cache(vals[fname], record)
                if record[fname] != field.convert_to_record(value, record):
                    changed.add(fname)
                    break
        return changed

    def _workflow_check_links(self, fnames):
        """The user may read the records these records now link through the linked fields
        of ``fnames`` (record rules included): an ``AccessError`` otherwise."""
        if self.env.su:
            return
        for fname in self._workflow_linked_fields().intersection(fnames):
            self[fname].check_access("read")

    def _workflow_may_set(self):
        """Whether the user may give workflow values at creation: a credit manager (who
        brings a history in) or the superuser."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _workflow_check(self):
        """The caller of an action may change these records: he may write them (access
        rights and record rules) and is a collector or a credit manager."""
        self.check_access("write")
        if not (self.env.su or self.env.user.has_group(COLLECTOR_GROUP)):
            raise AccessError(
                _(
                    "Only collectors and credit managers can do this on %(model)s.",
                    model=self._workflow_model_label(),
                )
            )

    def _workflow_write(self, vals):
        """Write workflow values, once the calling action checked who calls it."""
        return self.sudo().write(vals)

    def _workflow_model_label(self):
        """The model's name in the user's language."""
        return self.env["ir.model"]._get(self._name).name

    def _workflow_field_labels(self, names):
        return ", ".join(sorted(self._fields[name]._description_string(self.env) for name in names))
