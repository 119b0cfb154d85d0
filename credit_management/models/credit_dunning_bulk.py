"""Bulk creation of reminders: one INSERT per model instead of ``create()``.

A run creates a reminder per customer with a line per open item: ``create()`` spends most of
its time per line (one2many commands, related fields, defaults), ten times the INSERT's.
``_bulk_create(vals_list)`` takes the same values as ``create()`` and yields the same records
(stored and computed values, constraints, access rights, inverse one2many caches, the
invoices' dunning level); ``tests/test_dunning_bulk.py`` compares both.
"""

from odoo import api
from odoo import models
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.models import MAGIC_COLUMNS
from odoo.tools import SQL

from ..engine import dunning
from .credit_dunning import AMOUNT_FIELDS


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    def _bulk_create(self, vals_list):
        """Create the reminders of ``vals_list`` (``_dunning_prepare_vals``) and their lines
        with one INSERT per model, then do what the ORM does after its own INSERT: fields to
        compute and their dependents (amounts, the invoices' dunning level) marked, Python
        constraints, company consistency (``_bulk_check_company``) and access rules checked.

        Unlike ``create()``, no "created" note nor follower: the trail of a reminder is what
        it sends, and the collector follows it once it is sent (see ``_post_email``). The
        name always comes from the reminder sequence.
        """
        self.check_access("create")
        names = self._next_names(len(vals_list))
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        reminder_rows, line_rows = [], []
        for vals, name in zip(vals_list, names, strict=True):
            lines = [command[2] for command in vals["line_ids"]]
            row = {key: value for key, value in vals.items() if key != "line_ids"}
            row["name"] = name
            row["commercial_partner_id"] = commercial[row["partner_id"]]
            totals = dunning.reminder_totals(
                (line["line_type"], line["amount_residual"], line["days_overdue"]) for line in lines
            )
            row.update(totals.as_dict())
            line_rows.append(lines)
            reminder_rows.append(row)
        # The invoices' dunning level is recomputed below (new lines): with their current
        # values in cache, only the values that change are written back.
        self.env["account.move"].browse(
            {line["move_id"] for lines in line_rows for line in lines}
        ).fetch(["dunning_level_id", "dunning_date"])
        reminders = self._bulk_insert_rows(self, reminder_rows)
        # As after create(): the amounts computed next are initial values, not changes.
        reminders._track_discard()
        lines = [
            dict(line, dunning_id=reminder.id, state=row["state"], currency_id=row["currency_id"])
            for reminder, row, rows in zip(reminders, reminder_rows, line_rows, strict=True)
            for line in rows
        ]
        if lines:
            # The reminders' totals were inserted with them.
            totals = [self._fields[fname] for fname in AMOUNT_FIELDS]
            with self.env.protecting(totals, reminders):
                self._bulk_insert_rows(self.env["credit.dunning.line"], lines)
        return reminders

    @api.model
    def _bulk_column_converter(self, model, field):
        """``(value, row) -> column value`` of ``field``, as the ORM converts it.

        Amounts are rounded to their row's currency directly: the ORM's conversion of a
        monetary value builds a new record for each value, the largest cost of an insert.
        """
        if field.type != "monetary":
            return lambda value, row: field.convert_to_column_insert(value, model, row)
        currency_field = field.get_currency_field(model)
        digits = {
            currency.id: currency.decimal_places
            for currency in self.env["res.currency"].with_context(active_test=False).search([])
        }

        def convert(value, row):
            if row.get(currency_field) not in digits:
                return field.convert_to_column_insert(value, model, row)
            return round(float(value or 0.0), digits[row[currency_field]])

        return convert

    @api.model
    def _bulk_insert_rows(self, model, rows):
        """INSERT ``rows`` (dicts of field values) of ``model`` with the model's defaults for
        the other stored fields; return the records, ready for the ORM."""
        stored = [
            name for name, field in model._fields.items() if field.store and field.column_type
        ]
        defaults = model.default_get([name for name in stored if name not in MAGIC_COLUMNS])
        rows = [dict(defaults, **row) for row in rows]
        # Values of fields without a column (related ones) only serve the conversion, such
        # as the currency that rounds amounts.
        fnames = sorted(
            fname
            for fname in set().union(*rows)
            if model._fields[fname].store and model._fields[fname].column_type
        )
        now, uid = self.env.cr.now(), self.env.uid
        log_columns = LOG_ACCESS_COLUMNS if model._log_access else []
        converters = {
            fname: self._bulk_column_converter(model, model._fields[fname]) for fname in fnames
        }
        # One array per column, unnested in order: the arrays are adapted in C, where a
        # VALUES list of tuples is quoted value by value in Python.
        columns = SQL(", ").join(
            SQL(
                "%s::%s[]",
                [converters[fname](row.get(fname), row) for row in rows],
                SQL(model._fields[fname].column_type[1]),
            )
            for fname in fnames
        )
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO %(table)s (%(names)s)
                    SELECT %(values)s %(log_values)s
                      FROM unnest(%(columns)s) WITH ORDINALITY AS u(%(values)s, ordinality)
                     ORDER BY u.ordinality
                    RETURNING id
                    """,
                    table=SQL.identifier(model._table),
                    names=SQL(", ").join(map(SQL.identifier, [*fnames, *log_columns])),
                    values=SQL(", ").join(map(SQL.identifier, fnames)),
                    log_values=SQL(", %s, %s, %s, %s", uid, now, uid, now)
                    if log_columns
                    else SQL(),
                    columns=columns,
                )
            )
        ]
        records = model.browse(ids)
        # The references in cache, as after create(): marking what depends on them (below)
        # reads them.
        for fname in fnames:
            field = model._fields[fname]
            if field.type == "many2one":
                self.env.cache.update(records, field, [row.get(fname) or None for row in rows])
        for field in model._fields.values():
            if field.store and field.compute and field.name not in fnames:
                self.env.add_to_compute(field, records)
            # The comodels' one2many caches do not know the new records yet.
            if field.type == "many2one" and field.name in fnames:
                for inverse in self.env.registry.field_inverses[field]:
                    self.env[inverse.model_name].invalidate_model([inverse.name])
        # As create() does: what was inserted is protected from being recomputed.
        with self.env.protecting([model._fields[fname] for fname in fnames], records):
            records.modified(fnames, create=True)
        records._validate_fields(fnames)
        if model._check_company_auto:
            self._bulk_check_company(records, rows)
        records.check_access("create")
        return records

    @api.model
    def _bulk_check_company(self, records, rows):
        """``_check_company()`` of the inserted ``records`` (from ``rows``), as ``create()``.

        Odoo's check reads each line's document and filters it one by one: on the lines of a
        run, most of the run's time. The documents' companies are read in one query, by
        their ids; Odoo's own check then judges the lines whose document is of another
        company than their reminder's (a parent company's document is allowed on a branch's
        reminder) and raises its own message.
        """
        if records._name == "credit.dunning.line":
            reminders = self.browse({row["dunning_id"] for row in rows})
            reminder_company = {reminder.id: reminder.company_id.id for reminder in reminders}
            move_company = dict(
                self.env.execute_query(
                    SQL(
                        "SELECT id, company_id FROM account_move WHERE id = ANY(%s)",
                        list({row["move_id"] for row in rows}),
                    )
                )
            )
            records = records.browse(
                record.id
                for record, row in zip(records, rows, strict=True)
                if move_company.get(row["move_id"]) != reminder_company[row["dunning_id"]]
            )
        records._check_company()
