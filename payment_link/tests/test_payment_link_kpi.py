from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import PaymentLinkCommon


@tagged("post_install", "-at_install")
class TestPaymentLinkKpi(PaymentLinkCommon):
    """The links' figures in the KPIs and on the reminders, on a crafted history computed by
    hand: reminders' links paid 1, 2 and 5 days after they were sent, one opened and unpaid,
    one paid long ago (out of the KPIs' 90 days) and a link sent on demand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = cls.env.ref("credit_management.dunning_level_standard_2")
        cls.Snapshot = cls.env["credit.kpi.snapshot"].sudo()  # as the scheduled action

    def _reminder(self, moves):
        """A reminder sent for ``moves``, with its payment link."""
        reminder = self.env["credit.dunning"].create(
            {
                "partner_id": self.customer.id,
                "level_id": self.level.id,
                "currency_id": self.currency.id,
                "state": "sent",
                "line_ids": [
                    Command.create(
                        {"move_id": m.id, "level_id": self.level.id, "line_type": "invoice"}
                    )
                    for m in moves
                ],
            }
        )
        self.Link._create_for_moves(moves, dunning=reminder)
        return reminder

    def _backdate(self, link, sent, paid=None):
        """The link created (its reminder sent) ``sent`` ago, opened then, and its payments
        confirmed ``paid`` after it was created."""
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE credit_payment_link SET create_date = %(created)s, "
                "date_first_opened = %(created)s WHERE id = %(id)s",
                created=now - sent,
                id=link.id,
            )
        )
        if paid is not None:
            self.env.cr.execute(
                SQL(
                    "UPDATE payment_transaction SET last_state_change = %(done)s "
                    "WHERE payment_link_id = %(id)s",
                    done=now - sent + paid,
                    id=link.id,
                )
            )
        self.env.invalidate_all()

    def test_figures(self):
        day = timedelta(days=1)
        # Paid after 1, 2 and 5 days; the first link covers two invoices.
        one = self._invoice(self.customer, 100.0, due_days=-20) | self._invoice(
            self.customer, 50.0, due_days=-20
        )
        two = self._invoice(self.customer, 200.0, due_days=-20)
        five = self._invoice(self.customer, 300.0, due_days=-20)
        reminders = [self._reminder(moves) for moves in (one, two, five)]
        for reminder, moves in zip(reminders, (one, two, five), strict=True):
            self._pay_by_link(reminder.payment_link_id, moves)
        for reminder, delay in zip(reminders, (1, 2, 5), strict=True):
            self._backdate(reminder.payment_link_id, 10 * day, delay * day)
        # Opened, never paid.
        unpaid = self._reminder(self._invoice(self.customer, 400.0, due_days=-20))
        self._open(unpaid.payment_link_id)
        self._backdate(unpaid.payment_link_id, 3 * day)
        # Sent, opened and paid (after 20 days) long ago: out of the KPIs' window.
        old_moves = self._invoice(self.customer, 70.0, due_days=-20)
        old = self._reminder(old_moves)
        self._pay_by_link(old.payment_link_id, old_moves)
        self._backdate(old.payment_link_id, 150 * day, 20 * day)
        # A link sent on demand, paid after 30 days: collected through a link, but no
        # reminder to measure from.
        demand_moves = self._invoice(self.customer, 25.0, due_days=-20)
        demand = self.Link._create_for_moves(demand_moves)
        self._pay_by_link(demand, demand_moves)
        self._backdate(demand, 40 * day, 30 * day)

        snapshot = self.Snapshot._snapshot_take(self.company, fields.Date.today()).filtered(
            lambda snapshot: not snapshot.user_id
        )
        self.assertEqual(snapshot.payment_link_opened_count, 5, "4 reminders' links + on demand")
        self.assertEqual(snapshot.payment_link_paid_move_count, 5, "2 + 1 + 1 + on demand")
        self.assertAlmostEqual(snapshot.payment_link_amount, 150.0 + 200.0 + 300.0 + 25.0)
        self.assertAlmostEqual(snapshot.payment_link_median_days, 2.0, msg="median of 1, 2, 5")
        # The 90 days up to 7 days ago: the payments 1 and 2 days after the links sent 10 days
        # ago (the 5-day one came later) and the one on demand; the links opened 10 and 40
        # days ago (not the one opened 3 days ago).
        past = self.Snapshot._payment_link_values(
            self.company, fields.Date.today() - 97 * day, fields.Date.today() - 7 * day
        )
        self.assertEqual(past["payment_link_opened_count"], 4)
        self.assertEqual(past["payment_link_paid_move_count"], 4)
        self.assertAlmostEqual(past["payment_link_amount"], 150.0 + 200.0 + 25.0)
        self.assertAlmostEqual(past["payment_link_median_days"], 1.5, msg="median of 1 and 2")
        # Another company has links of its own only.
        other = self.setup_other_company()["company"]
        empty = self.Snapshot._snapshot_take(other, fields.Date.today()).filtered(
            lambda snapshot: not snapshot.user_id
        )
        self.assertEqual(empty.payment_link_opened_count, 0)
        self.assertEqual(empty.payment_link_amount, 0.0)
        self.assertEqual(empty.payment_link_median_days, 0.0)

        # On the reminders.
        first = reminders[0]
        self.assertEqual(first.payment_link_paid_move_count, 2)
        self.assertAlmostEqual(first.payment_link_days_to_payment, 1.0)
        self.assertTrue(first.paid_by_link)
        self.assertEqual(unpaid.payment_link_paid_move_count, 0)
        self.assertEqual(unpaid.payment_link_days_to_payment, 0.0)
        self.assertFalse(unpaid.paid_by_link)
        self.assertEqual(unpaid.payment_link_open_count, 1)
        Dunning = self.env["credit.dunning"]
        mine = [("partner_id", "=", self.customer.id)]
        self.assertEqual(
            Dunning.search([*mine, ("paid_by_link", "=", True)]),
            old | reminders[2] | reminders[1] | first,
        )
        self.assertEqual(Dunning.search([*mine, ("paid_by_link", "=", False)]), unpaid)
        # All the reminders' links, whenever paid: median of 1, 2, 5 and 20 days.
        figures = Dunning._payment_link_figures(self.company)
        self.assertEqual(figures["links"], 5)
        self.assertEqual(figures["opened"], 5)
        self.assertEqual(figures["paid_invoices"], 5)
        self.assertAlmostEqual(figures["amount_collected"], 150.0 + 200.0 + 300.0 + 70.0)
        self.assertAlmostEqual(figures["median_days_to_payment"], 3.5)
