"""Demo data of credit management: a receivable that shows every feature.

Nothing but the demo data (``credit_management_demo.xml``) calls this module, through
``account.chart.template._credit_demo_load`` (account's own demo hooks live on that model):
no model, table or field exists for it, so a database installed without demo data has no
trace of it.

How it works: the users, products, customers and contacts are XML records; this module
generates the accounting history around them through the ORM, deterministically (fixed random
seed) and with dates relative to today, so that the aged balance has every bucket filled
whenever the demo is built:

1. posted customer invoices, per customer according to its scenario (``CUSTOMERS``,
   ``SCENARIOS``): invoices paid in full, then open ones not due, 1-30, 31-60, 61-90, 91-120
   and more than 120 days overdue; one customer is invoiced in a foreign currency;
2. full and partial payments, through the payment wizard as an accountant does (the full
   payments of a day in one go);
3. draft invoices, confirmed sales orders not yet invoiced and a few quotations;
4. a paid history of two years for the late-payment prediction: 36 more customers
   (``HISTORY_CUSTOMERS``) invoiced every three weeks, each paying as its habit says
   (``credit_demo_history.py``), all paid by now; the prediction is trained on the whole
   ledger (its backtest on the form) and the open invoices scored;
5. three customers' replies to their last reminder, in French (``REPLIES``: a promise to pay
   with its date and amount, a dispute naming one of the reminded invoices, an "already
   paid" with its day and a remittance advice), played through Odoo's mail gateway
   (``mail.thread.message_process``, answering the reminder's email): each becomes a
   suggestion (``credit.reply``) for the collector to accept or ignore. Their Message-Ids are
   fixed (``<credit-demo-reply-KIND@…>``): the gateway ignores an email it already has, and an
   older demo database gets the replies it lacks, once, when ``scripts/demo.sh`` updates it
   (it calls this module's entry point again: Odoo does not rerun a demo file's functions).

The credit limits of the XML customers are set against the amounts generated here: three
customers end up over their limit, three far overdue (holds) and one on manual hold.

When account is installed in the same run as this module (a new database), Odoo installs the
chart of accounts at the very end of the loading, after the demo data of every module; the
invoices are then generated right after the chart is installed. When other modules are
installed in the same run (payment_link, credit_insurance), the history is generated at the
end of the loading too, so that the reminders it sends go through them (a payment link in
each reminder).
"""

import logging
import random
import time
from collections import defaultdict
from datetime import date as Date
from datetime import datetime
from datetime import timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import format_datetime

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Command

from . import credit_demo_history
from . import credit_demo_logo

_logger = logging.getLogger(__name__)

SEED = 18_2024

# Days between the due date and today of the open invoices, per aging bucket (negative: not
# due yet).
AGING_BUCKETS = {
    "not_due": (-40, -1),
    "1_30": (1, 30),
    "31_60": (31, 60),
    "61_90": (61, 90),
    "91_120": (91, 120),
    "over_120": (121, 240),
}
# Days between the due date and today of the invoices paid in full.
PAID_DUE_DAYS = (20, 330)

# paid: invoices paid in full; open: the aging bucket of each open invoice; partial: share of
# the open invoices partly paid; size: factor on the quantities.
SCENARIOS = {
    "good": {
        "paid": 5,
        "open": ("not_due", "not_due", "1_30"),
        "partial": 0.0,
        "size": 1.0,
    },
    "standard": {
        "paid": 3,
        "open": ("not_due", "not_due", "1_30", "31_60"),
        "partial": 0.25,
        "size": 1.0,
    },
    "strategic": {
        "paid": 4,
        "open": ("not_due", "not_due", "not_due", "1_30", "31_60"),
        "partial": 0.2,
        "size": 2.5,
    },
    "late": {
        "paid": 2,
        "open": ("not_due", "1_30", "1_30", "31_60", "31_60"),
        "partial": 0.5,
        "size": 1.0,
    },
    "far": {
        "paid": 1,
        "open": ("31_60", "61_90", "61_90", "91_120", "over_120"),
        "partial": 0.4,
        "size": 0.8,
    },
    "over_limit": {
        "paid": 2,
        "open": ("not_due", "not_due", "not_due", "1_30", "1_30"),
        "partial": 0.0,
        "size": 1.6,
    },
    "new": {
        "paid": 0,
        "open": ("not_due", "not_due"),
        "partial": 0.0,
        "size": 0.8,
    },
}

# The history of the late-payment prediction: customers of each habit (names made from these).
HISTORY_CUSTOMERS = {"good": 16, "late": 6, "worsening": 5, "big": 5, "summer": 4}
HISTORY_TRADES = ("Boulangerie", "Pâtisserie", "Épicerie", "Brasserie", "Traiteur", "Crêperie")
HISTORY_NAMES = ("Marchand", "Lefort", "Berthier", "Caron", "Delorme", "Perrin")

# Demo customers (XML ids) and their scenario.
CUSTOMERS = {
    "partner_delmas_group": "strategic",
    "partner_delmas_mecanique": "standard",
    "partner_delmas_logistique": "over_limit",
    "partner_delmas_outillage": "good",
    "partner_kerbrat_holding": "strategic",
    "partner_kerbrat_maree": "late",
    "partner_kerbrat_transports": "far",
    "partner_fournier": "good",
    "partner_chaumont": "standard",
    "partner_vieux_port": "late",
    "partner_tilleuls": "good",
    "partner_lacoste": "standard",
    "partner_alpine": "over_limit",
    "partner_mercier": "far",
    "partner_pont_neuf": "standard",
    "partner_saint_aubin": "good",
    "partner_varenne": "standard",
    "partner_rigaud": "late",
    "partner_quatre_vents": "new",
    "partner_morel": "over_limit",
    "partner_garnier": "good",
    "partner_ribeyrolles": "standard",
    "partner_joubert": "good",
    "partner_bonnaud": "standard",
    "partner_le_goff": "far",
    "partner_vasseur": "late",
    "partner_lumen": "new",
    "partner_pharmacie_metz": "good",
    "partner_perrin": "late",
    "partner_negoce_atlantique": "standard",
    "partner_lambert": "standard",
}
# Customers invoiced in a foreign currency (USD, or EUR when the company works in USD).
FOREIGN_CURRENCY_CUSTOMERS = ("partner_negoce_atlantique",)
FOREIGN_CURRENCY_RATES = {"USD": 1.08, "EUR": 0.92}  # per unit of the company currency

DRAFT_INVOICE_CUSTOMERS = (
    "partner_delmas_group",
    "partner_delmas_logistique",
    "partner_fournier",
    "partner_lacoste",
    "partner_varenne",
    "partner_rigaud",
    "partner_bonnaud",
    "partner_joubert",
    "partner_lambert",
    "partner_quatre_vents",
)
ORDER_CUSTOMERS = (
    "partner_delmas_group",
    "partner_delmas_mecanique",
    "partner_kerbrat_holding",
    "partner_alpine",
    "partner_morel",
    "partner_chaumont",
    "partner_tilleuls",
    "partner_pont_neuf",
    "partner_saint_aubin",
    "partner_ribeyrolles",
    "partner_lumen",
    "partner_negoce_atlantique",
)
# Quotations a sales rep can try to confirm: two customers on hold, one in good standing.
QUOTATION_CUSTOMERS = ("partner_alpine", "partner_mercier", "partner_fournier")

# The customers' replies to their reminders, played through the mail gateway: kind, then the
# text (French) with {amount}, {invoice}, {day} (a past day, "4 décembre") filled in by
# ``CreditDemo._replies``. The promise's day is the 15th of the month after the reply's.
REPLIES = (
    (
        "promise",
        "Bonjour,\n\nSuite à votre relance, nous vous réglerons {amount} le 15 du mois "
        "prochain par virement.\nMerci de votre patience.\n\nCordialement,\n{name}",
    ),
    (
        "dispute",
        "Bonjour,\n\nLa facture {invoice} ne correspond pas à notre commande : le prix facturé "
        "n'est pas celui du devis signé. Nous la réglerons à réception d'un avoir.\n\n"
        "Bien cordialement,\n{name}",
    ),
    (
        "paid",
        "Bonjour,\n\nCes factures ont déjà été réglées par virement le {day}, pour un "
        "montant de {amount}. Vous trouverez l'avis de virement en pièce jointe.\n\n"
        "Bien à vous,\n{name}",
    ),
)
REPLY_MESSAGE_ID = "<credit-demo-reply-{kind}@{domain}>"
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# The remittance advice attached to the "already paid" reply: a one-page PDF.
REMITTANCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Demo products (XML ids) and the quantities of one line.
PRODUCT_QUANTITIES = {
    "product_cabinet": (1, 4),
    "product_cable": (2, 20),
    "product_sensor": (2, 12),
    "product_supplies": (1, 6),
    "product_maintenance_day": (1, 5),
    "product_maintenance_contract": (1, 1),
    "product_training": (1, 3),
    "product_study": (1, 2),
}


def load_demo_data(env):
    """Generate the demo's accounting history (called by ``credit_management_demo.xml``).

    Right away when the main company has its chart of accounts and no other module is
    installed in this run; otherwise at the end of the loading: right after Odoo installs the
    chart, when account is installed in this same run (see the module docstring), and after
    the modules installed with this one (payment_link puts a payment link in the reminders
    the history sends, so they must be there when it is played).
    """
    company = env.ref("base.main_company")
    _users_in_admin_lang(env)
    if _chart_ready(env, company):
        if not _installed_after(env):
            generate(env, company)
            return
        install_chart = None
    else:
        install_chart = getattr(env.registry, "_auto_install_template", None)
        if not install_chart:
            _logger.info(
                "Credit management demo: %s has no chart of accounts, no invoices generated.",
                company.name,
            )
            return

    # Odoo calls this hook at the end of the loading (account's
    # ir.module.module._register_hook), after every module and demo file; it installs the
    # chart of accounts there when account is installed in this run.
    def then_demo(env):
        if install_chart:
            install_chart(env)
        try:
            with env.cr.savepoint():
                generate(env, env.ref("base.main_company"))
        except Exception:
            # As Odoo's own demo data: a failed demo never fails the installation.
            _logger.exception("Credit management demo: the invoices could not be generated.")

    env.registry._auto_install_template = then_demo


def _users_in_admin_lang(env):
    """The demo users speak the language of the database's administrator (French on the
    French demo), so that the notes the demo writes for them are in it."""
    lang = env.ref("base.user_admin").lang
    users = env.ref("credit_management.user_sales") | env.ref("credit_management.user_collector")
    if lang:
        users.filtered(lambda user: user.lang != lang).lang = lang


def _installed_after(env):
    """Whether other modules are installed after this one in the current run."""
    return bool(
        env["ir.module.module"].search_count(
            [("state", "=", "to install"), ("name", "!=", "credit_management")], limit=1
        )
    )


def _chart_ready(env, company):
    return bool(company.chart_template) and bool(
        env["account.journal"].search_count(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        )
    )


def generate(env, company):
    """Invoices, payments, drafts and orders of the demo customers of ``company``, once."""
    env = (
        env["res.company"]
        .sudo()
        .with_company(company)
        .with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            # The notes and activities of the demo in the language of its users.
            lang=company._credit_users_lang(),
        )
        .env
    )
    CreditDemo(env).run(company)


class CreditDemo:
    """The generator, on an environment of the main company (superuser, no tracking)."""

    def __init__(self, env):
        self.env = env

    def run(self, company):
        """Invoices, payments, drafts and orders of the demo customers of ``company``."""
        start = time.monotonic()
        customers = self._records(CUSTOMERS)
        today = fields.Date.context_today(self.env.user)
        if self.env["account.move"].search_count(
            [("commercial_partner_id", "in", customers.ids), ("move_type", "=", "out_invoice")],
            limit=1,
        ):
            # The history is there (an update): only the replies an older demo lacks.
            self._replies(today)
            return
        rng = random.Random(SEED)
        products = self._prepare_products(company)
        self._prepare_partners(customers)
        foreign_currency = self._foreign_currency(company, today)

        invoices, payments = self._posted_invoices(rng, products, company, foreign_currency, today)
        self._register_payments(payments)
        drafts = self._draft_invoices(rng, products, company, today)
        orders = self._sale_orders(rng, products)
        reminders = self._reminders(today)
        self._disputes_and_promises(customers, today)
        self._litigation(customers)
        replies = self._replies(today)
        history = self._history(company, today)
        # Graded customers: the nightly score, computed now on this history.
        self.env["res.partner"]._cron_update_credit_score()
        # The KPIs of each month end of the past year and today's: a trend from the first day
        # (those the installation took, before this history existed, are taken again).
        Snapshot = self.env["credit.kpi.snapshot"]
        Snapshot.search([("company_id", "=", company.id)]).unlink()
        Snapshot._backfill(months=12)
        # The late-payment prediction learnt from this ledger, the open invoices scored.
        prediction = self.env["credit.prediction.model"]._prediction_of(company)
        prediction._prediction_train(today)
        prediction._prediction_score(today=today)
        _logger.info(
            "Credit management demo: a paid history of %s invoices; the prediction uses %s.",
            len(history),
            prediction.state,
        )
        _logger.info(
            "Credit management demo: %s posted invoices, %s payments, %s draft invoices, "
            "%s orders and quotations, %s reminders, %s replies read in %.1fs.",
            len(invoices),
            len(payments),
            len(drafts),
            len(orders),
            len(reminders),
            len(replies),
            time.monotonic() - start,
        )

    def _history(self, company, today):
        """The paid history of the late-payment prediction (see the module's docstring)."""
        names = [f"{trade} {name}" for name in HISTORY_NAMES for trade in HISTORY_TRADES]
        random.Random(SEED).shuffle(names)
        customers = {}
        for habit, count in HISTORY_CUSTOMERS.items():
            for _index in range(count):
                partner = self.env["res.partner"].create(
                    {"name": names.pop(), "is_company": True, "lang": self.env.lang, "city": "Lyon"}
                )
                customers[partner] = habit
        history = credit_demo_history.create_history(
            self.env, company, today, customers, months=24, every_days=21, seed=SEED
        )
        # The demo's own customers' older invoices, two years ending five months ago, all paid
        # by now as their scenario says: a customer whose open invoices are a month or more
        # overdue paid late before too.
        habits = {
            "strategic": "late",
            "standard": "late",
            "late": "late",
            "far": "late",
            "over_limit": "worsening",
        }
        own = {
            self.env.ref(f"credit_management.{xml_id}"): habits.get(scenario, "good")
            for xml_id, scenario in CUSTOMERS.items()
            if scenario != "new"
        }
        return history | credit_demo_history.create_history(
            self.env,
            company,
            today,
            own,
            months=24,
            every_days=30,
            seed=SEED + 1,
            end=today - timedelta(days=150),
        )

    def _reminders(self, today):
        """A dunning history: the daily run replayed every two weeks over two months.

        Reminders escalate as they would have; the levels that need validation leave
        reminders in the collectors' "to validate" list.
        """
        Dunning = self.env["credit.dunning"]
        reminders = Dunning.browse()
        for weeks_ago in (8, 6, 4, 2, 0):
            reminders |= Dunning.run_dunning(today - timedelta(weeks=weeks_ago))
        return reminders

    def _records(self, xml_ids):
        records = [self.env.ref(f"credit_management.{xml_id}") for xml_id in xml_ids]
        return self.env[records[0]._name].browse([record.id for record in records])

    def _prepare_products(self, company):
        """The demo products with the quantities of one line: ``[(product, low, high)]``."""
        products = self._records(PRODUCT_QUANTITIES)
        # The products come before the chart of accounts in a new database: give them the
        # company's default sales tax.
        tax = company.account_sale_tax_id
        if tax:
            for product in products:
                if not product.taxes_id.filtered(lambda t: t.company_id == company):
                    product.taxes_id = [Command.link(tax.id)]
        return [
            (product, *quantities)
            for product, quantities in zip(products, PRODUCT_QUANTITIES.values(), strict=True)
        ]

    def _prepare_partners(self, customers):
        # l10n_fr has its own SIRET field; fill it from the registry number when it is one.
        if "siret" not in customers._fields:
            return
        for partner in customers:
            if len(partner.company_registry or "") == 14:
                partner.siret = partner.company_registry

    def _foreign_currency(self, company, today):
        code = "EUR" if company.currency_id.name == "USD" else "USD"
        currency = self.env.ref(f"base.{code}")
        currency.active = True
        date = today - timedelta(days=400)
        Rate = self.env["res.currency.rate"]
        domain = [
            ("currency_id", "=", currency.id),
            ("company_id", "=", company.id),
            ("name", "=", date),
        ]
        if not Rate.search_count(domain):
            Rate.create(
                {
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "name": date,
                    "company_rate": FOREIGN_CURRENCY_RATES[code],
                }
            )
        return currency

    def _invoice_lines(self, rng, products, size, currency, company, date):
        lines = []
        for product, low, high in rng.sample(products, rng.randint(1, 3)):
            price = company.currency_id._convert(product.lst_price, currency, company, date)
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": max(1, round(rng.randint(low, high) * size)),
                        "price_unit": currency.round(price),
                    }
                )
            )
        return lines

    def _invoice_partner(self, rng, customer):
        """The invoice address of the customer, or the customer or now and then a contact."""
        invoice_address = customer.child_ids.filtered(lambda p: p.type == "invoice")
        if invoice_address:
            return invoice_address[0]
        contacts = customer.child_ids.filtered(lambda p: p.type == "contact")
        if contacts and rng.random() < 0.3:
            return rng.choice(list(contacts))
        return customer

    def _payment_term_days(self, term):
        """Days of a payment term in one installment a number of days after the invoice."""
        line = term.line_ids
        if len(line) == 1 and line.delay_type == "days_after" and line.value == "percent":
            return line.nb_days
        return None

    def _posted_invoices(self, rng, products, company, foreign_currency, today):
        """Post the invoices of every scenario.

        :return: the invoices and the payments to register ``[(invoice, amount, date)]``
            (amount ``None``: paid in full)
        """
        plans = []
        for xml_id, scenario_name in CUSTOMERS.items():
            customer = self.env.ref(f"credit_management.{xml_id}")
            scenario = SCENARIOS[scenario_name]
            currency = (
                foreign_currency if xml_id in FOREIGN_CURRENCY_CUSTOMERS else company.currency_id
            )
            paid_count = max(0, scenario["paid"] + rng.randint(-1, 1)) if scenario["paid"] else 0
            kinds = [("paid", None)] * paid_count + [("open", b) for b in scenario["open"]]
            for kind, bucket in kinds:
                low, high = PAID_DUE_DAYS if kind == "paid" else AGING_BUCKETS[bucket]
                due = today - timedelta(days=rng.randint(low, high))
                plans.append((customer, currency, scenario, kind, due))

        vals_list = []
        for customer, currency, scenario, _kind, due in plans:
            term = customer.property_payment_term_id
            days = self._payment_term_days(term) if term else None
            invoice_date = due - timedelta(days=days if days is not None else 30)
            vals = {
                "move_type": "out_invoice",
                "partner_id": self._invoice_partner(rng, customer).id,
                "invoice_date": invoice_date,
                "currency_id": currency.id,
                "invoice_user_id": customer.user_id.id,
                "invoice_line_ids": self._invoice_lines(
                    rng, products, scenario["size"], currency, company, invoice_date
                ),
            }
            if days is not None:
                vals["invoice_payment_term_id"] = term.id
            else:
                vals.update(invoice_payment_term_id=False, invoice_date_due=due)
            vals_list.append(vals)

        # Numbered in the order of their dates, as they would have been.
        order = sorted(range(len(plans)), key=lambda i: (vals_list[i]["invoice_date"], i))
        invoices = self.env["account.move"].create([vals_list[i] for i in order])
        invoices.action_post()

        payments = []
        for invoice, i in zip(invoices, order, strict=True):
            _customer, _currency, scenario, kind, due = plans[i]
            if kind == "paid":
                # Transfers received around the due date, booked on Fridays.
                date = due + timedelta(days=rng.randint(-15, 25))
                date += timedelta(days=(4 - date.weekday()) % 7)
                amount = None
            elif rng.random() < scenario["partial"]:
                date = invoice.invoice_date + timedelta(days=rng.randint(5, 60))
                share = rng.choice((0.2, 0.3, 0.4, 0.5, 0.6))
                amount = round(invoice.amount_total * share / 10) * 10
            else:
                continue
            date = max(invoice.invoice_date, min(date, today - timedelta(days=1)))
            payments.append((invoice, amount, date))
        return invoices, payments

    def _register_payments(self, payments):
        """Register payments with the wizard; the full payments of a day in one go."""
        full = defaultdict(lambda: self.env["account.move"])
        for invoice, amount, date in payments:
            if amount is None:
                full[date] |= invoice
            else:
                self._payment_wizard(
                    invoice, {"amount": amount, "payment_difference_handling": "open"}, date
                )._create_payments()
        for date, invoices in sorted(full.items()):
            self._payment_wizard(invoices, {"group_payment": False}, date)._create_payments()

    def _payment_wizard(self, invoices, vals, date):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(dict(vals, payment_date=date))
        )

    def _draft_invoices(self, rng, products, company, today):
        vals_list = []
        for xml_id in DRAFT_INVOICE_CUSTOMERS:
            customer = self.env.ref(f"credit_management.{xml_id}")
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": self._invoice_partner(rng, customer).id,
                    "invoice_user_id": customer.user_id.id,
                    "invoice_line_ids": self._invoice_lines(
                        rng, products, 1.0, company.currency_id, company, today
                    ),
                }
            )
        return self.env["account.move"].create(vals_list)

    def _sale_orders(self, rng, products):
        """Confirmed orders not yet invoiced, then quotations."""
        vals_list = []
        for xml_id in ORDER_CUSTOMERS + QUOTATION_CUSTOMERS:
            customer = self.env.ref(f"credit_management.{xml_id}")
            lines = [
                Command.create(
                    {"product_id": product.id, "product_uom_qty": rng.randint(low, high)}
                )
                for product, low, high in rng.sample(products, rng.randint(1, 3))
            ]
            vals_list.append(
                {"partner_id": customer.id, "user_id": customer.user_id.id, "order_line": lines}
            )
        orders = self.env["sale.order"].create(vals_list)
        # Confirmed before some of these customers went over their limit (the demo is loaded
        # as superuser, whom the credit hold does not hold back).
        orders[: len(ORDER_CUSTOMERS)].action_confirm()
        now = fields.Datetime.now()
        for order in orders:
            order.date_order = now - timedelta(days=rng.randint(1, 25))
        return orders

    def _disputes_and_promises(self, customers, today):
        """Disputes (new, in progress, rejected) and promises (open, kept, broken) on the
        open invoices of the demo customers."""
        open_invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("currency_id", "=", self.env.company.currency_id.id),
            ],
            order="invoice_date_due, id",
        )
        by_customer = open_invoices.grouped("commercial_partner_id")
        picks = [invoices[0] for invoices in by_customer.values() if invoices][:6]
        if len(picks) < 6:
            return
        Dispute = self.env["credit.dispute"]
        reasons = [
            "credit_management.dispute_reason_quantity",
            "credit_management.dispute_reason_price",
            "credit_management.dispute_reason_not_received",
        ]
        disputes = Dispute.create(
            [
                {
                    "partner_id": invoice.commercial_partner_id.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "reason_id": self.env.ref(reason).id,
                    "date_opened": today - timedelta(days=days),
                    "source": source,
                    "description": Markup("<p>%s</p>") % message,
                }
                for invoice, reason, days, source, message in zip(
                    picks[:3],
                    reasons,
                    (3, 12, 20),
                    ("portal", "invoice", "reminder"),
                    (
                        "Il manque deux palettes sur la livraison du mois dernier.",
                        "Le prix facturé n'est pas celui du devis signé.",
                        "Marchandise jamais reçue à notre entrepôt de Lyon.",
                    ),
                    strict=True,
                )
            ]
        )
        disputes[1].action_start()
        disputes[2]._dispute_rejected(
            "Bon de livraison signé le jour de la livraison par votre magasinier."
        )
        Promise = self.env["credit.payment.promise"]
        kept, broken, still_open = picks[3:6]
        for invoice, made, promised in (
            (kept, 10, 3),
            (broken, 20, 12),
            (still_open, 2, -10),
        ):
            Promise.create(
                {
                    "partner_id": invoice.commercial_partner_id.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "date_made": today - timedelta(days=made),
                    "date_promised": today - timedelta(days=promised),
                    "source": "call",
                }
            )
        self._register_payments([(kept, None, today - timedelta(days=4))])
        Promise._cron_evaluate()

    def _replies(self, today):
        """Three customers answer their last reminder by email (``REPLIES``), through Odoo's
        mail gateway: a suggestion each on the reminder, for the collector. A kind already
        received (its Message-Id) is not sent again.

        :return: the suggestions made now (``credit.reply``)
        """
        Message = self.env["mail.message"]
        Reply = self.env["credit.reply"]
        todo = [
            (kind, text)
            for kind, text in REPLIES
            if not Message.search_count(
                [("message_id", "=like", REPLY_MESSAGE_ID.format(kind=kind, domain="%"))],
                limit=1,
            )
        ]
        if not todo:
            return Reply
        collector = self.env.ref("credit_management.user_collector")
        # The last reminder emailed to each of the collector's customers with nothing open
        # (no promise, no dispute) and invoices still to pay.
        candidates = []
        seen = set(Reply.search([]).partner_id.ids)
        for reminder in self.env["credit.dunning"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("user_id", "=", collector.id),
                ("state", "=", "sent"),
                ("mail_message_id", "!=", False),
            ],
            order="id desc",
        ):
            customer = reminder.commercial_partner_id
            if customer.id in seen:
                continue
            seen.add(customer.id)
            invoices = reminder.line_ids.move_id.filtered(
                lambda move: (
                    move.move_type == "out_invoice"
                    and move.payment_state == "not_paid"
                    and not move.in_dispute
                    and not move.promise_ids
                )
            )
            if invoices and reminder.partner_id.email:
                candidates.append((reminder, invoices))
        replies = Reply
        for kind, text in todo:
            # The dispute names one invoice of several.
            pick = next(
                (c for c in candidates if kind != "dispute" or len(c[1]) > 1),
                candidates[0] if candidates else None,
            )
            if not pick:
                _logger.info("Credit management demo: no reminder left to answer (%s).", kind)
                break
            candidates.remove(pick)
            replies |= self._reply(kind, text, *pick, today)
        return replies

    def _reply(self, kind, text, reminder, invoices, today):
        """The customer's email answering ``reminder``, through the mail gateway."""
        sent = reminder.mail_message_id
        sender = reminder.partner_id
        domain = sender.email.split("@")[-1]
        paid_day = demo_reply_expected("paid", today)
        # Headers folded at 200 characters, not 78: Python's folding drops the space between
        # two encoded words of a long French subject ("facturesbientôt").
        email = EmailMessage(policy=email_policy.default.clone(max_line_length=200))
        email["From"] = f"{sender.name} <{sender.email}>"
        email["To"] = sent.reply_to or sent.email_from or self.env.company.email
        email["Subject"] = f"RE: {sent.subject or reminder.name}"
        email["Message-Id"] = REPLY_MESSAGE_ID.format(kind=kind, domain=domain)
        email["In-Reply-To"] = sent.message_id
        email["References"] = sent.message_id
        email["Date"] = format_datetime(datetime.now().astimezone())
        email.set_content(
            text.format(
                amount=french_amount(sum(invoices.mapped("amount_residual"))),
                invoice=invoices.sorted("invoice_date_due")[-1].name,
                day=f"{paid_day.day} {FRENCH_MONTHS[paid_day.month - 1]}",
                name=sender.name,
            )
        )
        if kind == "paid":
            email.add_attachment(
                REMITTANCE_PDF,
                maintype="application",
                subtype="pdf",
                filename="avis-de-virement.pdf",
            )
        self.env["mail.thread"].message_process(False, email.as_string())
        return self.env["credit.reply"].search(
            [("dunning_id", "=", reminder.id)], order="id desc", limit=1
        )

    def _litigation(self, customers):
        """The most overdue customer gets a formal notice letter, then is handed off to
        litigation with its pack."""
        invoice = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
                ("in_dispute", "=", False),
                ("promise_ids", "=", False),
                ("currency_id", "=", self.env.company.currency_id.id),
            ],
            order="invoice_date_due, id",
            limit=1,
        )
        if not invoice:
            return
        Send = self.env["credit.dunning.send"].with_context(
            default_partner_id=invoice.commercial_partner_id.id
        )
        for xml_id in (
            "credit_management.dunning_level_standard_5",
            "credit_management.dunning_level_standard_6",
        ):
            wizard = Send.create({"level_id": self.env.ref(xml_id).id})
            reminder = self.env["credit.dunning"].browse(wizard.action_send()["res_id"])
            if reminder.state == "to_validate":
                reminder.action_validate()


def french_amount(amount):
    """5040.0 -> "5 040,00 €", as a French customer writes it."""
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")


def demo_reply_expected(kind, today):
    """The day the demo's reply of ``kind`` names, for a reply received ``today``: the 15th of
    next month (a promise), three days ago (a payment), none (a dispute)."""
    if kind == "promise":
        return Date(today.year + today.month // 12, today.month % 12 + 1, 15)
    if kind == "paid":
        return today - timedelta(days=3)
    return None


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _credit_demo_load(self):
        """Entry point of the demo data of credit management (its demo XML); the generator
        itself is plain Python, in no model."""
        load_demo_data(self.env)

    @api.model
    def _credit_demo_logo(self):
        """The demo company's logo (its demo XML), drawn by ``credit_demo_logo``."""
        credit_demo_logo.set_demo_logo(self.env.ref("base.main_company"))
