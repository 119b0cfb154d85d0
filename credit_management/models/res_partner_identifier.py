"""Company identifiers of customers: SIREN and SIRET checked with python-stdnum.

VAT numbers are Odoo's own ``base_vat``'s; this adds what it lacks, the French
``company_registry``."""

from stdnum.exceptions import InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siren
from stdnum.fr import siret

from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import ValidationError


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("company_registry", "country_id")
    def _check_credit_company_registry(self):
        for partner in self:
            number = (partner.company_registry or "").strip()
            if not number or partner.country_id.code not in ("FR", False):
                continue
            compact = siret.compact(number)
            if partner.country_id.code != "FR" and not compact.isdigit():
                continue
            module = siren if len(compact) == 9 else siret if len(compact) == 14 else None
            try:
                if module is None:
                    raise InvalidLength()
                module.validate(compact)
            except StdnumValidationError as error:
                raise ValidationError(
                    _(
                        "%(number)s is not a valid SIREN or SIRET number for %(partner)s "
                        "(%(error)s).",
                        number=number,
                        partner=partner.display_name,
                        error=self._credit_stdnum_error(error),
                    )
                ) from error

    @api.model
    def _credit_stdnum_error(self, error):
        """Readable, translated cause of a python-stdnum refusal."""
        messages = {
            "InvalidChecksum": _("wrong check digits"),
            "InvalidLength": _("wrong length"),
            "InvalidFormat": _("wrong format"),
            "InvalidComponent": _("a part of the number is not valid"),
        }
        return messages.get(type(error).__name__, str(error))
