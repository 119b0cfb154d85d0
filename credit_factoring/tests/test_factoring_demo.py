from odoo.addons.credit_management.tests.common import TODAY
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..demo.credit_factoring_demo import CONFIDENTIAL_CUSTOMERS
from ..demo.credit_factoring_demo import NOTIFIED_CUSTOMERS
from ..demo.credit_factoring_demo import generate
from .common import FactoringCommon


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringDemo(FactoringCommon):
    """The factoring demo generator, on this test company and customers of its own."""

    def test_demo_contracts_batches_statement(self):
        customers = {}
        for key in NOTIFIED_CUSTOMERS + CONFIDENTIAL_CUSTOMERS:
            customers[key] = self.env["res.partner"].create({"name": key, "is_company": True})
            self._invoice(customers[key], 1000.0, due_days=-5)
            self._invoice(customers[key], 2000.0, due_days=20)
        contracts = generate(self.env, self.company, customers)
        self.assertEqual(sorted(contracts.mapped("kind")), ["confidential", "notified"])
        self.assertEqual(set(contracts.mapped("state")), {"active"})
        self.assertEqual(set(contracts.batch_ids.mapped("state")), {"funded"})
        notified = contracts.filtered(lambda c: c.kind == "notified")
        self.assertEqual(len(notified.batch_ids.move_ids), 4)
        states = notified.batch_ids.move_ids.mapped("factoring_state")
        self.assertEqual(states.count("returned"), 1)
        self.assertEqual(states.count("collected"), 1)
        statement = self.env["credit.factoring.statement"].search(
            [("contract_id", "=", notified.id)]
        )
        self.assertEqual(statement.state, "done")
        # Run again: nothing doubled.
        self.assertEqual(generate(self.env, self.company, customers), notified)
        self.assertEqual(
            self.env["credit.factoring.contract"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            2,
        )
