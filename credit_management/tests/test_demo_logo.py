import base64
import io

from PIL import Image

from odoo.tests import TransactionCase
from odoo.tests import tagged

from ..demo import credit_demo_logo


@tagged("post_install", "-at_install")
class TestDemoLogo(TransactionCase):
    """The demo company's drawn logo replaces Odoo's placeholder, never the user's logo."""

    def test_initials(self):
        self.assertEqual(credit_demo_logo.initials("Dumont Équipements Électriques"), "DÉ")
        self.assertEqual(credit_demo_logo.initials("la Maison du Câble"), "MC")
        self.assertEqual(credit_demo_logo.initials("Bâtiment"), "B")

    def test_logo_drawn_for_the_placeholder_only(self):
        company = self.env["res.company"].create({"name": "Dumont Équipements Électriques"})
        self.assertTrue(company.uses_default_logo)
        credit_demo_logo.set_demo_logo(company)
        self.assertFalse(company.uses_default_logo, "no more 'Your logo'")
        image = Image.open(io.BytesIO(base64.b64decode(company.logo)))
        self.assertEqual(image.format, "PNG")
        self.assertEqual(image.height, credit_demo_logo.HEIGHT)
        self.assertGreater(image.width, image.height, "the initials and the name beside them")
        # The square is in the default colour, its corners transparent.
        self.assertEqual(image.convert("RGBA").getpixel((80, 18))[:3], (29, 78, 137))
        self.assertEqual(image.convert("RGBA").getpixel((0, 0))[3], 0)
        self.assertTrue(company.logo_web, "the letters and the portal read the web logo")
        # A logo of the user's own stays.
        own = company.logo
        company.name = "Dumont SA"
        credit_demo_logo.set_demo_logo(company)
        self.assertEqual(company.logo, own)
