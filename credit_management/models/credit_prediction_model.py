"""The late-payment prediction of a company (``credit.prediction.model``): trained weekly and
on demand from the company's own ledger, its backtest shown to the credit manager, its
probabilities written on the open invoices every night and when an invoice is posted.

How it works: ``_prediction_ledger`` reads the company's customer invoices of the last
``HISTORY_MONTHS`` months (paid on the day of their last reconciliation, or open), the promises
kept and broken, the disputes, the reminders sent and (through ``_prediction_insured``, which
credit_insurance extends) each customer's insurance status, in six queries (the receivable
accounts first), into an ``engine.prediction.Ledger``; ``engine.prediction.train`` runs the
backtest and learns (see its docstring for the features, the time split, the fallback and the
thresholds); the result is pickled, signed with the database's secret and kept as the record's
attachment (``model_file``), with its figures and factors on the record. ``_prediction_score``
scores the open invoices of the company in one pass and writes them in one statement
(``credit.move.prediction``, shown as ``account.move``'s prediction fields).
"""

import base64
import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import compat
from ..engine import prediction as engine
from ..sql import array_text
from .account_move_prediction import PREDICTION_COLUMNS

_logger = logging.getLogger(__name__)

HISTORY_MONTHS = 36  # the invoices a model learns from: due in the last three years
# The channel of a reminder, by how far it goes (engine.prediction.CHANNELS).
CHANNEL_SQL = """
    CASE WHEN lvl.is_litigation THEN 6 WHEN lvl.is_formal_notice THEN 5
         WHEN lvl.channel_phone THEN 4 WHEN lvl.channel_letter THEN 3
         WHEN lvl.channel_sms THEN 2 ELSE 1 END
"""
FEATURE_LABELS = [
    ("history_count", "Invoices paid before"),
    ("avg_days_late", "Average days late"),
    ("recent_days_late", "Days late of the last three invoices"),
    ("trend_days_late", "Trend of the days late"),
    ("late_share", "Share of invoices paid late"),
    ("last_days_late", "Days late of the last invoice"),
    ("overdue_count", "Other invoices overdue"),
    ("promises_kept", "Promises kept"),
    ("promises_broken", "Promises broken"),
    ("disputes", "Disputes opened"),
    ("last_channel", "Last reminder's channel"),
    ("score", "Behaviour score"),
    ("amount", "Amount of the invoice"),
    ("amount_ratio", "Amount against the customer's usual"),
    ("terms_days", "Payment terms"),
    ("month", "Month it falls due"),
    ("insured", "Credit insurance"),
]
# The trained results in memory: {(database, record id): (model file's checksum, Trained)}.
_LOADED = {}
_LOADED_LOCK = threading.Lock()
# The invoices' fields of the prediction (account_move_prediction.py).
PREDICTION_FIELDS = sorted(PREDICTION_COLUMNS)


class CreditPredictionModel(models.Model):
    _name = "credit.prediction.model"
    _inherit = ["credit.workflow.mixin"]
    _description = "Late-Payment Prediction"
    _order = "company_id"
    _rec_name = "company_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    late_days = fields.Integer(
        string="Late After (Days)",
        default=engine.LATE_DAYS,
        required=True,
        help="An invoice is late when paid more than this many days after its due date.",
    )
    threshold = fields.Float(
        string="Likely Late From",
        default=0.5,
        required=True,
        help="Probability from which an invoice is shown as likely to be paid late (0 to 1).",
    )
    state = fields.Selection(
        selection=[("fallback", "Customer's average"), ("model", "Learnt model")],
        string="In Use",
        default="fallback",
        required=True,
        readonly=True,
    )
    reason = fields.Selection(
        selection=[
            ("history", "Too little history for a backtest"),
            ("not_better", "The model did not beat the customer's average"),
        ],
        string="Why the Average",
        readonly=True,
    )
    date_trained = fields.Datetime(string="Trained On", readonly=True)
    date_scored = fields.Datetime(string="Invoices Scored On", readonly=True)
    date_cutoff = fields.Date(
        string="Test Period From",
        readonly=True,
        help="The backtest learnt from what was known on this day and was tested on the "
        "invoices due from it.",
    )
    train_size = fields.Integer(string="Invoices Learnt From", readonly=True)
    test_size = fields.Integer(string="Invoices Tested", readonly=True)
    late_share = fields.Float(string="Paid Late in the Test (%)", digits=(16, 1), readonly=True)
    auc = fields.Float(string="Model's AUC", digits=(16, 3), readonly=True)
    auc_fallback = fields.Float(string="AUC of the Average", digits=(16, 3), readonly=True)
    brier = fields.Float(string="Model's Brier Score", digits=(16, 3), readonly=True)
    brier_fallback = fields.Float(
        string="Brier Score of the Average", digits=(16, 3), readonly=True
    )
    mae_days = fields.Float(string="Model's Date Error (Days)", digits=(16, 1), readonly=True)
    mae_days_fallback = fields.Float(
        string="Date Error of the Average (Days)", digits=(16, 1), readonly=True
    )
    factor_ids = fields.One2many(
        comodel_name="credit.prediction.factor",
        inverse_name="model_id",
        string="Most Important Factors",
        readonly=True,
    )
    model_file = fields.Binary(attachment=True, readonly=True, groups="base.group_system")
    scored_count = fields.Integer(string="Open Invoices Scored", readonly=True)
    likely_late_count = fields.Integer(compute="_compute_likely_late_count")
    summary = fields.Text(compute="_compute_summary")

    _company_uniq = compat.Constraint(
        "UNIQUE (company_id)", "A company has one late-payment prediction."
    )

    # ------------------------------------------------------------
    # RIGHTS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {
            "state",
            "reason",
            "date_trained",
            "date_scored",
            "date_cutoff",
            "train_size",
            "test_size",
            "late_share",
            "auc",
            "auc_fallback",
            "brier",
            "brier_fallback",
            "mae_days",
            "mae_days_fallback",
            "factor_ids",
            "model_file",
            "scored_count",
        }

    @api.model
    def _workflow_initial_values(self):
        return {"state": "fallback"}

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {"company_id"}

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_likely_late_count(self):
        for record in self:
            record.likely_late_count = self.env["credit.move.prediction"].search_count(
                [("company_id", "=", record.company_id.id), ("likely_late", "=", True)]
            )

    @api.depends("state", "reason", "auc", "auc_fallback", "date_trained")
    @api.depends_context("lang")
    def _compute_summary(self):
        for record in self:
            if not record.date_trained:
                record.summary = _("Not trained yet: train it, or wait for the weekly training.")
            elif record.state == "model":
                record.summary = _(
                    "The learnt model is used: on the invoices of the test period it ranks the "
                    "late ones better than the customer's average (AUC %(auc).3f against "
                    "%(fallback).3f) and its probabilities are closer (Brier score).",
                    auc=record.auc,
                    fallback=record.auc_fallback,
                )
            elif record.reason == "history":
                record.summary = _(
                    "The customer's average is used: too little history to learn and test a "
                    "model (at least %(train)s invoices with a known outcome before the test "
                    "period, %(each)s of them late and %(each)s on time, and %(test)s in "
                    "the test period, %(test_each)s late and %(test_each)s on time).",
                    train=engine.MIN_TRAIN,
                    each=engine.MIN_TRAIN_EACH,
                    test=engine.MIN_TEST,
                    test_each=engine.MIN_TEST_EACH,
                )
            else:
                record.summary = _(
                    "The customer's average is used: on the invoices of the test period the "
                    "learnt model did not beat it (AUC %(auc).3f against %(fallback).3f, "
                    "Brier score %(brier).3f against %(brier_fallback).3f).",
                    auc=record.auc,
                    fallback=record.auc_fallback,
                    brier=record.brier,
                    brier_fallback=record.brier_fallback,
                )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("late_days", "threshold")
    def _check_settings(self):
        for record in self:
            if not 1 <= record.late_days <= 365:
                raise UserError(_("An invoice is late after 1 to 365 days."))
            if not 0 < record.threshold < 1:
                raise UserError(_("The probability of an invoice likely late is between 0 and 1."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _prediction_of(self, company):
        """The prediction record of ``company`` (created when it has none)."""
        record = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return record or self.sudo().create({"company_id": company.id})

    @api.model
    def action_open(self):
        """The company's prediction, from the menu."""
        record = self._prediction_of(self.env.company).sudo(False)
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": _("Late-Payment Prediction"),
            "res_model": self._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }

    def action_train(self):
        """Train now (credit managers), then score the open invoices."""
        self.check_access("write")
        if not (self.env.su or self.env.user.has_group("credit_management.group_credit_manager")):
            raise UserError(_("Only credit managers train the late-payment prediction."))
        for record in self:
            record.sudo()._prediction_train()
            record.sudo()._prediction_score()
        return True

    def action_score(self):
        self.check_access("write")
        for record in self:
            record.sudo()._prediction_score()
        return True

    def action_view_likely_late(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            domain=[("company_id", "=", self.company_id.id), ("likely_late", "=", True)],
            context={"create": False},
        )
        return action

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _cron_train(self):
        """Every week: train the prediction of every company, then score its invoices."""
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        commit = self.env.context.get("credit_prediction_commit")
        for done, company in enumerate(companies, 1):
            record = self.with_company(company)._prediction_of(company)
            record._prediction_train()
            record._prediction_score()
            compat.batch_done(self.env, done=done, remaining=len(companies) - done, commit=commit)

    @api.model
    def _cron_score(self):
        """Every night: score the open invoices of every company with a prediction."""
        for record in self.sudo().search([]):  # pylint: disable=no-search-all
            record.with_company(record.company_id)._prediction_score()

    # ------------------------------------------------------------
    # TRAINING
    # ------------------------------------------------------------

    def _prediction_today(self):
        return fields.Date.context_today(self.with_context(tz=self.env.user.tz))

    def _prediction_train(self, today=None):
        """Backtest and train on the company's ledger; keep the result and its figures."""
        self.ensure_one()
        today = today or self._prediction_today()
        ledger, _moves = self._prediction_ledger(today)
        trained = engine.train(ledger, today, self.late_days)
        figures = trained.figures
        values = {
            "state": trained.state,
            "reason": trained.reason,
            "date_trained": fields.Datetime.now(),
            "date_cutoff": figures["date_cutoff"],
            "train_size": figures["train_size"],
            "test_size": figures["test_size"],
            "late_share": 100 * figures["late_share"],
            "factor_ids": [fields.Command.clear()]
            + [
                fields.Command.create(
                    {"sequence": position, "feature": name, "importance": importance}
                )
                for position, (name, importance) in enumerate(trained.importances[:8], 1)
                if importance > 0
            ],
            "model_file": base64.b64encode(engine.dumps(trained, self._prediction_key())),
        }
        for key in ("auc", "auc_fallback", "brier", "brier_fallback"):
            values[key] = figures.get(key, 0.0)
        for key in ("mae_days", "mae_days_fallback"):
            values[key] = figures.get(key, 0.0)
        self._workflow_write(values)
        _logger.info(
            "late-payment prediction of %s: %s (%s), %s invoices learnt, %s tested",
            self.company_id.name,
            trained.state,
            trained.reason or "beats the average",
            figures["train_size"],
            figures["test_size"],
        )
        return trained

    def _prediction_key(self):
        """The key signing the model files: the database's secret."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return f"credit.prediction.model:{secret}".encode()

    def _prediction_checksum(self):
        """The checksum of the model file (False before the first training): which training
        this is, even for two in the same second."""
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("res_field", "=", "model_file"),
                ],
                limit=1,
            )
        )
        return attachment.checksum

    def _prediction_trained(self):
        """The trained result kept on the record (None before the first training), loaded
        once per process and training."""
        self.ensure_one()
        checksum = self.date_trained and self._prediction_checksum()
        if not checksum:
            return None
        key = (self.env.cr.dbname, self.id)
        with _LOADED_LOCK:
            loaded = _LOADED.get(key)
        if loaded and loaded[0] == checksum:
            return loaded[1]
        try:
            # The file itself, even when read for the web client (``bin_size`` would give
            # its size).
            blob = self.sudo().with_context(bin_size=False).model_file
            trained = engine.loads(base64.b64decode(blob), self._prediction_key())
        except ValueError:
            _logger.warning(
                "the model file of %s is not this database's: ignored", self.company_id.name
            )
            return None
        with _LOADED_LOCK:
            _LOADED[key] = (checksum, trained)
        return trained

    # ------------------------------------------------------------
    # THE LEDGER
    # ------------------------------------------------------------

    def _prediction_ledger(self, today, partner_ids=None, move_ids=None):
        """``(ledger, moves)``: the company's ``engine.prediction.Ledger`` on ``today`` (of
        ``partner_ids`` only when given), its invoices as ``engine.prediction.Columns``; and
        the move of each of them that is an open installment of the company to score (of
        ``move_ids`` only when given), -1 for the others."""
        self.ensure_one()
        self.env.flush_all()
        company = self.company_id
        since = today - relativedelta(months=HISTORY_MONTHS)
        companies = self.env["credit.open.item"]._company_ids_sql(company)
        partners = (
            SQL("AND p.commercial_partner_id = ANY(%s)", list(partner_ids))
            if partner_ids
            else SQL()
        )
        # A few customers (an invoice read or posted): their lines through the index on the
        # lines' partner, not a scan of the company's.
        lines = (
            SQL(
                "AND l.partner_id IN (SELECT id FROM res_partner WHERE commercial_partner_id "
                "= ANY(%s))",
                list(partner_ids),
            )
            if partner_ids
            else SQL()
        )
        moves = SQL("AND l.move_id = ANY(%s)", list(move_ids)) if move_ids is not None else SQL()
        # The receivable accounts by their ids: the planner then knows how many lines they
        # hold (a join on the accounts' type hides it, and it would loop over every line).
        receivable = [
            account_id
            for (account_id,) in self.env.execute_query(
                SQL("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
            )
        ]
        # Days as ordinals (``date.toordinal()``), -1 for none: integers are read many times
        # faster than dates, and the engine counts in days.
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id, p.commercial_partner_id,
                       COALESCE(m.invoice_date, m.date) - DATE '0001-01-01' + 1,
                       l.date_maturity - DATE '0001-01-01' + 1, l.balance::float,
                       CASE WHEN l.reconciled AND MAX(apr.max_date) < %(today)s
                            THEN MAX(apr.max_date) - DATE '0001-01-01' + 1 ELSE -1 END,
                       CASE WHEN l.company_id = %(company)s AND NOT l.reconciled
                                 AND l.amount_residual > 0 %(moves)s
                            THEN l.move_id ELSE -1 END
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                                     AND m.move_type IN ('out_invoice', 'out_receipt')
                  JOIN res_partner p ON p.id = l.partner_id
             LEFT JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                 WHERE l.account_id = ANY(%(receivable)s) AND l.company_id = ANY(%(companies)s)
                   AND l.parent_state = 'posted'
                   AND l.balance > 0 AND l.date_maturity >= %(since)s
                   AND COALESCE(m.invoice_date, m.date) <= %(today)s %(lines)s
              GROUP BY l.id, p.commercial_partner_id, m.invoice_date, m.date
              ORDER BY l.id
                """,
                receivable=receivable,
                companies=companies,
                company=company.id,
                since=since,
                today=today,
                lines=lines,
                moves=moves,
            )
        )
        # (paid on: -1 while open, or paid from today on)
        invoices, more = engine.Columns.of_rows(rows, more=1)
        ledger = engine.Ledger(invoices)
        for partner, day, kept in self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, pr.date_closed, pr.state = 'kept'
                  FROM credit_payment_promise pr
                  JOIN res_partner p ON p.id = pr.partner_id
                 WHERE pr.company_id = ANY(%(companies)s) AND pr.state IN ('kept', 'broken')
                   AND pr.date_closed >= %(since)s %(partners)s
                """,
                companies=companies,
                since=since,
                partners=partners,
            )
        ):
            ledger.promises.setdefault(partner, []).append((day, kept))
        for partner, day in self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, d.date_opened
                  FROM credit_dispute d
                  JOIN res_partner p ON p.id = d.partner_id
                 WHERE d.company_id = ANY(%(companies)s) AND d.date_opened >= %(since)s
                       %(partners)s
                """,
                companies=companies,
                since=since,
                partners=partners,
            )
        ):
            ledger.disputes.setdefault(partner, []).append(day)
        for partner, day, channel in self.env.execute_query(
            SQL(
                f"""
                SELECT p.commercial_partner_id, d.date, {CHANNEL_SQL}
                  FROM credit_dunning d
                  JOIN res_partner p ON p.id = d.commercial_partner_id
                  JOIN credit_dunning_level lvl ON lvl.id = d.level_id
                 WHERE d.company_id = ANY(%(companies)s) AND d.state = 'sent'
                   AND d.date >= %(since)s %(partners)s
                """,
                companies=companies,
                since=since,
                partners=partners,
            )
        ):
            ledger.reminders.setdefault(partner, []).append((day, channel))
        ledger.insured = self._prediction_insured(company)
        return ledger, more[:, 0]

    def _prediction_insured(self, company):
        """``{commercial partner id: code of engine.prediction.INSURED}``: the customers'
        insurance status (none without credit_insurance)."""
        return {}

    # ------------------------------------------------------------
    # SCORING
    # ------------------------------------------------------------

    def _prediction_score(self, move_ids=None, today=None):
        """Score the company's open invoices (or those of ``move_ids``) and write their
        probability and expected payment dates in one statement; the invoices no longer open
        lose theirs. Nothing is explained: an invoice's factors are worked out when it is
        read (``_prediction_explain``)."""
        self.ensure_one()
        today = today or self._prediction_today()
        inputs = self._prediction_inputs(move_ids, today)
        if inputs is None:
            return 0
        trained, ledger, opened, moves = inputs
        found = engine.scores(trained, ledger, opened, today)
        scored = engine.Stored.of(found, moves, self.threshold)
        self._prediction_write(scored, self._prediction_stored(move_ids))
        if move_ids is None:
            self._workflow_write(
                {"date_scored": fields.Datetime.now(), "scored_count": len(scored.group)}
            )
        return len(scored.group)

    def _prediction_explain(self, move_ids, today=None):
        """``{move id: (basis, factors)}``: why the open invoices ``move_ids`` are at risk
        (``engine.prediction.Prediction.factors``), from their features of today; each
        invoice's riskiest open installment."""
        self.ensure_one()
        today = today or self._prediction_today()
        inputs = self._prediction_inputs(move_ids, today, explain=True)
        if inputs is None:
            return {}
        trained, ledger, opened, moves = inputs
        best = {}
        predictions = engine.predict(trained, ledger, opened, today, explain=3)
        for move_id, prediction in zip(moves.tolist(), predictions, strict=True):
            if move_id not in best or prediction.probability > best[move_id].probability:
                best[move_id] = prediction
        return {
            move_id: (prediction.basis, prediction.factors) for move_id, prediction in best.items()
        }

    def _prediction_inputs(self, move_ids, today, explain=False):
        """``(trained, ledger, open invoices, their moves)``: what scores the company's open
        installments (or those of ``move_ids``) on ``today``, the ``engine.prediction``
        ``Trained``, ``Ledger`` and ``Columns`` and the move of each installment; None when
        nothing is to be scored."""
        trained = self._prediction_trained()
        partner_ids = None
        if move_ids is not None:
            partner_ids = set(self.env["account.move"].browse(move_ids).commercial_partner_id.ids)
            # An invoice posted before the first training is scored by the night after it.
            if not partner_ids or (trained is None and not explain):
                return None
        ledger, moves = self._prediction_ledger(today, partner_ids, move_ids)
        if trained is None:
            # Never trained: the customers' averages, with the company's figures of today.
            prior, median = engine.company_figures(
                engine.labelled(ledger.invoices, today, self.late_days)
            )
            trained = engine.Trained(self.late_days, "fallback", "history", {}, [], prior, median)
        opened = moves >= 0
        return trained, ledger, ledger.columns.take(opened), moves[opened]

    def _prediction_stored(self, move_ids=None):
        """The predictions stored for the company's invoices (or those of ``move_ids``), as
        ``engine.prediction.Stored``."""
        scope = (
            SQL("move_id = ANY(%s)", list(move_ids))
            if move_ids is not None
            else SQL("company_id = %s", self.company_id.id)
        )
        self.env["credit.move.prediction"].flush_model()
        return engine.Stored.of_rows(
            self.env.execute_query(
                SQL(
                    """
                    SELECT move_id, partner_id, probability, likely_late,
                           date_expected - DATE '0001-01-01' + 1,
                           date_expected_from - DATE '0001-01-01' + 1,
                           date_expected_to - DATE '0001-01-01' + 1, basis
                      FROM credit_move_prediction
                     WHERE %s
                    """,
                    scope,
                )
            )
        )

    def _prediction_write(self, scored, stored):
        """Write the predictions ``scored`` (``engine.prediction.Stored``) that differ from
        the ``stored`` ones into ``credit.move.prediction``, in one statement; delete those
        of the invoices no longer open. The expected dates are kept as predicted, even when
        already past: readers show them from today on (a date kept as it is does not rewrite
        the row every night)."""
        changed, gone = scored.changes(stored)
        if len(gone):
            self.env.cr.execute(
                SQL(
                    "DELETE FROM credit_move_prediction WHERE move_id = ANY(%s::int[])",
                    array_text(gone),
                )
            )
        if len(changed.group):
            names = SQL(
                "move_id, partner_id, probability, likely_late, date_expected, "
                "date_expected_from, date_expected_to, basis"
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO credit_move_prediction (company_id, %(names)s)
                    SELECT %(company)s, v.move_id, v.partner_id, v.probability, v.likely_late,
                           DATE '0001-01-01' + (v.expected - 1),
                           DATE '0001-01-01' + (v.earliest - 1),
                           DATE '0001-01-01' + (v.latest - 1), v.basis
                      FROM unnest(%(move)s::int[], %(partner)s::int[], %(probability)s::float[],
                                  %(likely)s::bool[], %(expected)s::int[], %(earliest)s::int[],
                                  %(latest)s::int[], %(basis)s::varchar[])
                           AS v(move_id, partner_id, probability, likely_late, expected,
                                earliest, latest, basis)
                        ON CONFLICT (move_id) DO UPDATE SET (company_id, %(names)s)
                           = (EXCLUDED.company_id, EXCLUDED.move_id, EXCLUDED.partner_id,
                              EXCLUDED.probability, EXCLUDED.likely_late,
                              EXCLUDED.date_expected, EXCLUDED.date_expected_from,
                              EXCLUDED.date_expected_to, EXCLUDED.basis)
                    """,
                    names=names,
                    company=self.company_id.id,
                    move=array_text(changed.group),
                    partner=array_text(changed.partner_id),
                    probability=array_text(changed.probability),
                    likely=array_text(changed.likely_late),
                    expected=array_text(changed.expected),
                    earliest=array_text(changed.earliest),
                    latest=array_text(changed.latest),
                    basis=array_text(changed.basis),
                )
            )
        self.env["credit.move.prediction"].invalidate_model()
        self.env["account.move"].invalidate_model([*PREDICTION_FIELDS, "late_factors"])
