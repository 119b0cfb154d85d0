"""The identifiers an insurer knows a buyer by: SIREN, SIRET and VAT, checked before any request.

An insurer's API is asked about a customer only with numbers that python-stdnum accepts, so
that a typing error is reported on the customer at once rather than by the insurer later.
"""

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siren
from stdnum.fr import siret

from odoo import _
from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _insurance_buyer_identifiers(self):
        """The checked identifiers of this customer's company, most precise first.

        :return: a list of ``(identifier_type, value)`` with the types ``SIRET``, ``SIREN`` and
            ``VAT`` (compact values). A French SIRET also gives its SIREN.
        :raise UserError: when a number is not valid, or when the customer has none.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        identifiers = []
        registry = (partner.company_registry or "").strip()
        if registry and partner.country_id.code in ("FR", False):
            number = siret.compact(registry)
            module = siret if len(number) == 14 else siren
            try:
                module.validate(number)
            except StdnumValidationError as error:
                raise UserError(
                    _(
                        "The SIREN or SIRET %(number)s of %(partner)s is not valid "
                        "(%(error)s): correct it before asking the insurer.",
                        number=registry,
                        partner=partner.display_name,
                        error=self._credit_stdnum_error(error),
                    )
                ) from error
            if module is siret:
                identifiers.append(("SIRET", number))
            identifiers.append(("SIREN", number[:9]))
        if partner.vat:
            number = eu_vat.compact(partner.vat)
            try:
                eu_vat.validate(number)
            except StdnumValidationError as error:
                raise UserError(
                    _(
                        "The VAT number %(number)s of %(partner)s is not valid (%(error)s): "
                        "correct it before asking the insurer.",
                        number=partner.vat,
                        partner=partner.display_name,
                        error=self._credit_stdnum_error(error),
                    )
                ) from error
            identifiers.append(("VAT", number))
        if not identifiers:
            raise UserError(
                _(
                    "%(partner)s has no SIREN, SIRET or VAT number: an insurer identifies a "
                    "buyer by one of them.",
                    partner=partner.display_name,
                )
            )
        return identifiers

    def action_insurance_search_buyer(self):
        """Search this customer at the insurer of the company's policy in force (credit
        managers): the identifiers are checked, then the candidates are listed."""
        self.ensure_one()
        policy = self.env["credit.insurance.policy"]._get_active(self.env.company)
        if not policy:
            raise UserError(
                _(
                    "%(company)s has no credit insurance policy in force: activate one before "
                    "searching buyers.",
                    company=self.env.company.display_name,
                )
            )
        return self.env["credit.insurance.buyer.search"]._open_for(self, policy.with_env(self.env))
