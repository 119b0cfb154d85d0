import importlib.util

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import TODAY
from .common import CreditCommon

OLD_CALL = (
    '<t t-call="credit_management.dunning_mail_items">'
    '<t t-set="show_days_late" t-value="True"/><t t-set="show_overdue" t-value="True"/></t>'
)


def _migration():
    path = file_path("credit_management/migrations/1.1.0/post-migration.py")
    spec = importlib.util.spec_from_file_location("credit_management_migration_1_1_0", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestDunningEmailTemplates(CreditCommon):
    """The reminder emails' bodies: what each level's template shows, and the bodies already
    in a database brought to the shape both series render alike (migration 1.1.0)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_dunning_scenario_id = cls.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.invoice = cls._invoice(cls.customer, 1234.5, due_days=-20)
        with freeze_time(TODAY):
            cls.reminder = cls.env["credit.dunning"].run_dunning(TODAY)
        cls.courtesy, cls.overdue, cls.formal = (
            cls.env.ref(f"credit_management.mail_template_dunning_{name}")
            for name in ("courtesy", "reminder", "formal_notice")
        )

    def _body(self, template):
        return str(template._render_field("body_html", self.reminder.ids)[self.reminder.id])

    def test_each_level_shows_its_columns(self):
        self.assertEqual(len(self.reminder), 1)
        courtesy, overdue, formal = map(self._body, (self.courtesy, self.overdue, self.formal))
        for body in (courtesy, overdue, formal):
            self.assertIn(self.invoice.name, body)
            self.assertIn("Balance due", body)
        self.assertNotIn("Days late", courtesy)
        self.assertNotIn("Overdue:", courtesy)
        self.assertIn("Days late", overdue)
        self.assertIn("Overdue:", overdue)
        self.assertIn("Days late", formal)
        self.assertNotIn("Overdue:", formal)
        for template in (self.courtesy, self.overdue, self.formal):
            self.assertNotIn(
                't-call="credit_management.dunning_mail_items">',
                str(template.body_html),
                "the open items are called without a body (19.0 renders a body with a failed "
                "lookup each time)",
            )

    def test_migration_keeps_what_old_bodies_show(self):
        shipped = str(self.overdue.body_html)
        old = shipped.replace('<t t-set="show_days_late" t-value="True"/>', "", 1).replace(
            '<t t-set="show_overdue" t-value="True"/>',
            "",
            1,
        )
        old = old.replace('<t t-call="credit_management.dunning_mail_items"/>', OLD_CALL, 1)
        self.assertIn(OLD_CALL, old)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.overdue.with_context(lang="fr_FR").body_html = old.replace("Dear", "Madame,")
        self.overdue.body_html = old
        copy = self.overdue.copy({"name": "A collector's copy"})
        before = self._body(self.overdue)

        self.env.flush_all()
        _migration().migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()

        for template in (self.overdue, copy):
            for lang in ("en_US", "fr_FR"):
                body = str(template.with_context(lang=lang).body_html)
                self.assertNotIn('t-call="credit_management.dunning_mail_items">', body)
                self.assertIn('<t t-call="credit_management.dunning_mail_items"/>', body)
        self.assertIn("Madame,", str(self.overdue.with_context(lang="fr_FR").body_html))
        self.assertEqual(self._body(self.overdue), before)
        self.assertEqual(self._body(copy), before)
        self.assertIn("Days late", before)
        self.assertIn("Overdue:", before)
