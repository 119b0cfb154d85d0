"""Record ids in our public URLs, matched before any code of ours runs."""

from werkzeug.routing import IntegerConverter

from odoo import models

# The largest id of a PostgreSQL integer column.
MAX_ID = 2**31 - 1


class CreditIdConverter(IntegerConverter):
    """``<credit_id:name>``: a record id of at most 10 ASCII digits, below 2³¹. Anything
    else matches no route (a 404), where Werkzeug's ``int`` sends 5,000 digits to Python's
    ``int()``, which refuses more than 4,300 (a 500), and matches Unicode digits."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, max=MAX_ID)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return {**super()._get_converters(), "credit_id": CreditIdConverter}
