"""Groups of customers: a head office and its subsidiaries, their exposure and group limit.

How it works.

- ``credit_group_id`` is the head of a partner's group: the top of its ``parent_id`` chain
  (a company without a parent heads its own group). When a company enables
  ``credit_group_by_siren``, the groups whose companies share a SIREN (the first 9 digits of
  a French ``company_registry``) are merged under the head with the lowest id. The field is
  stored and kept by ``_credit_group_recompute``, in SQL: a recursive query walks the
  hierarchy and one UPDATE writes the heads that changed, so that regrouping a whole
  portfolio is a few queries. Without SIREN grouping, only the partners below those that
  changed are recomputed.
- ``credit_group_exposure`` sums the exposure of the group's members, read for all of them
  at once by ``_get_credit_facts``; ``credit_group_limit`` (on the head, per company, as
  Odoo's ``credit_limit``) caps it: ``_credit_group_reasons`` gives the ``group_limit``
  reason of the credit check when the group's exposure plus an order is over it.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import formatLang

from .credit_field_rights import MANAGER
from .credit_field_rights import METHOD

# What regroups partners: their hierarchy, and their SIREN when grouping by SIREN.
GROUP_HIERARCHY_FIELDS = {"parent_id", "is_company"}
GROUP_SIREN_FIELDS = {"company_registry", "country_id", "company_id", "active"}


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    credit_group_id = fields.Many2one(
        comodel_name="res.partner",
        string="Group Head",
        readonly=True,
        index=True,
        copy=False,
        help="Head office of the customer's group: the top company of its parent chain "
        "(or, when grouping by SIREN, the first company sharing its SIREN).",
    )
    credit_group_limit = fields.Float(
        string="Group Credit Limit",
        company_dependent=True,
        tracking=True,
        help="On the head office: the credit limit of the whole group, all its members "
        "together (0: none).",
    )
    credit_group_exposure = fields.Monetary(
        string="Group Exposure",
        compute="_compute_credit_group_exposure",
        compute_sudo=True,
        help="Exposure of all the members of the group together, in the company currency.",
    )
    credit_group_member_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Group Members",
        compute="_compute_credit_group_member_ids",
        help="The companies of the group (the head office and its subsidiaries).",
    )
    credit_group_member_count = fields.Integer(
        string="Group Members Count", compute="_compute_credit_group_member_ids"
    )
    credit_hold_reason = fields.Selection(
        selection_add=[("group_limit", "Group credit limit exceeded")]
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("credit_group_id")
    def _compute_credit_group_member_ids(self):
        heads = self.credit_group_id
        members = self.sudo().search(
            [
                ("credit_group_id", "in", heads.ids),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ]
        )
        by_head = members.grouped("credit_group_id")
        for partner in self:
            group = by_head.get(partner.credit_group_id, self.browse())
            partner.credit_group_member_ids = self.browse(group.ids)
            partner.credit_group_member_count = len(group)

    @api.depends_context("company")
    @api.depends("credit_group_id")
    def _compute_credit_group_exposure(self):
        exposures = self._credit_group_exposures(self.env.company)
        for partner in self:
            partner.credit_group_exposure = exposures.get(partner.credit_group_id.id, 0.0)

    def _credit_group_exposures(self, company):
        """``{head id: exposure of all its members}`` for the groups of ``self``, from one
        reading of the members' credit facts."""
        heads = self.sudo().credit_group_id
        if not heads:
            return {}
        members = self.sudo().search([("credit_group_id", "in", heads.ids)])
        facts = members._get_credit_facts(company)
        head_of = {}
        for member in members:
            head_of[member.commercial_partner_id.id] = member.credit_group_id.id
        exposures = dict.fromkeys(heads.ids, 0.0)
        for partner_id, fact in facts.items():
            head_id = head_of.get(partner_id)
            if head_id:
                exposures[head_id] += fact["exposure"]
        return exposures

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("credit_group_limit")
    def _check_credit_group_limit(self):
        for partner in self:
            if partner.credit_group_limit < 0:
                raise ValidationError(
                    _(
                        "The group credit limit of %(partner)s cannot be negative (%(limit)s).",
                        partner=partner.display_name,
                        limit=partner.credit_group_limit,
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        # On install and update: every partner gets its group head.
        self._credit_group_recompute()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # A new partner has nobody below it: its head is its root's, unless its SIREN may
        # merge groups.
        if any(vals.get("company_registry") for vals in vals_list) and (
            self._credit_group_by_siren()
        ):
            self._credit_group_recompute()
        else:
            self._credit_group_recompute(partners.ids, follow_root_head=True)
        return partners

    def write(self, vals):
        res = super().write(vals)
        touched = set(vals) & (GROUP_HIERARCHY_FIELDS | GROUP_SIREN_FIELDS)
        if touched:
            if self._credit_group_by_siren():
                self._credit_group_recompute()
            elif touched & GROUP_HIERARCHY_FIELDS:
                self._credit_group_recompute(self.ids)
        return res

    @api.model
    def _credit_field_rights(self):
        # The head of a group follows the hierarchy (_credit_group_recompute), never a hand.
        return {
            **super()._credit_field_rights(),
            "credit_group_id": METHOD,
            "credit_group_limit": MANAGER,
        }

    # ------------------------------------------------------------
    # GROUP HEADS
    # ------------------------------------------------------------

    @api.model
    def _credit_group_by_siren(self):
        """Whether a company groups its customers by SIREN."""
        self.env["res.company"].flush_model(["credit_group_by_siren"])
        return bool(
            self.env.execute_query(
                SQL("SELECT 1 FROM res_company WHERE credit_group_by_siren LIMIT 1")
            )
        )

    @api.model
    def _credit_group_recompute(self, partner_ids=None, follow_root_head=False):
        """Write the group head of every partner, in a few queries.

        :param partner_ids: only those and the partners below them, their hierarchy alone
            deciding (no SIREN grouping), or with ``follow_root_head`` the current head of
            their root (new partners, whose root may be merged with others by SIREN).
        """
        self.flush_model(["parent_id", "company_registry", "country_id", "company_id", "active"])
        if partner_ids is not None and not partner_ids:
            return
        if partner_ids is None:
            starts = SQL("SELECT id, id AS root FROM res_partner WHERE parent_id IS NULL")
        else:
            # The roots of the partners that changed, walking up their parent chain.
            starts = SQL(
                """
                SELECT up.start AS id, %s AS root
                  FROM up JOIN res_partner r ON r.id = up.id
                 WHERE up.parent_id IS NULL
                """,
                SQL("COALESCE(r.credit_group_id, r.id)") if follow_root_head else SQL("r.id"),
            )
        rows = self.env.execute_query(
            SQL(
                """
                WITH RECURSIVE up(start, id, parent_id) AS (
                        SELECT p.id, p.id, p.parent_id FROM res_partner p
                         WHERE p.id = ANY(%(ids)s)
                         UNION ALL
                        SELECT up.start, p.id, p.parent_id
                          FROM up JOIN res_partner p ON p.id = up.parent_id
                ), down(id, root) AS (
                        %(starts)s
                         UNION ALL
                        SELECT p.id, down.root
                          FROM down JOIN res_partner p ON p.parent_id = down.id
                )
                SELECT down.id, down.root, p.credit_group_id
                  FROM down JOIN res_partner p ON p.id = down.id
                """,
                ids=list(partner_ids or []),
                starts=starts,
            )
        )
        heads = {partner_id: root for partner_id, root, _current in rows}
        if partner_ids is None and self._credit_group_by_siren():
            merged = self._credit_group_siren_heads(heads)
            heads = {partner_id: merged.get(root, root) for partner_id, root in heads.items()}
        current = {partner_id: head for partner_id, _root, head in rows}
        changes = [(pid, head) for pid, head in heads.items() if current[pid] != head]
        if not changes:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET credit_group_id = c.head
                  FROM unnest(%(ids)s::int[], %(heads)s::int[]) AS c(id, head)
                 WHERE p.id = c.id
                """,
                ids=[pid for pid, _head in changes],
                heads=[head for _pid, head in changes],
            )
        )
        self.invalidate_model(["credit_group_id", "credit_group_member_ids"])

    @api.model
    def _credit_group_siren_heads(self, roots):
        """``{root: head}`` merging the hierarchies (``roots``: ``{partner: root}``) whose
        companies share a SIREN, under the root with the lowest id."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, LEFT(regexp_replace(p.company_registry, '[^0-9]', '', 'g'), 9)
                  FROM res_partner p
                  LEFT JOIN res_country c ON c.id = p.country_id
                  LEFT JOIN res_company co ON co.id = p.company_id
                 WHERE p.is_company AND p.active
                   AND (c.code = 'FR' OR p.country_id IS NULL)
                   AND length(regexp_replace(p.company_registry, '[^0-9]', '', 'g')) >= 9
                   AND (co.credit_group_by_siren
                        OR (p.company_id IS NULL AND EXISTS (
                            SELECT 1 FROM res_company WHERE credit_group_by_siren)))
                """
            )
        )
        # Union-find of the roots: a SIREN links the roots of the companies that share it.
        parent = {}

        def find(root):
            while parent.get(root, root) != root:
                root = parent[root]
            return root

        first_root_of = {}
        for partner_id, number in rows:
            root = find(roots.get(partner_id, partner_id))
            other = first_root_of.setdefault(number, root)
            other = find(other)
            if other != root:
                low, high = sorted((root, other))
                parent[high] = low
        return {root: find(root) for root in set(roots.values()) if find(root) != root}

    # ------------------------------------------------------------
    # CREDIT CHECK
    # ------------------------------------------------------------

    def _credit_group_reasons(self, amount, company):
        """The ``group_limit`` reason when this customer's group is over its group limit."""
        self.ensure_one()
        head = self.credit_group_id.with_company(company)
        limit = head.credit_group_limit
        if not head or limit <= 0:
            return []
        exposure = head.credit_group_exposure
        currency = company.currency_id
        if currency.compare_amounts(exposure + amount, limit) <= 0:
            return []
        values = {
            "group": head.display_name,
            "exposure": formatLang(self.env, exposure, currency_obj=currency),
            "amount": formatLang(self.env, amount, currency_obj=currency),
            "limit": formatLang(self.env, limit, currency_obj=currency),
        }
        if amount:
            message = _(
                "The group %(group)s is over its credit limit: group exposure %(exposure)s "
                "plus this order %(amount)s is over the group limit of %(limit)s.",
                **values,
            )
        else:
            message = _(
                "The group %(group)s is over its credit limit: group exposure %(exposure)s "
                "is over the group limit of %(limit)s.",
                **values,
            )
        return [("group_limit", message)]

    def _credit_hold_candidates(self, company):
        # The members of a group with a group limit may be held without owing anything.
        candidates = super()._credit_hold_candidates(company)
        heads = self.with_company(company).search([("credit_group_limit", ">", 0)])
        if heads:
            members = self.search([("credit_group_id", "in", heads.ids)])
            candidates |= members.commercial_partner_id
        return candidates

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_group_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Group of %(head)s", head=self.credit_group_id.display_name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("credit_management.res_partner_view_list_credit").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", self.credit_group_member_ids.ids)],
            "context": {"create": False},
        }


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    credit_group_by_siren = fields.Boolean(
        string="Group Customers by SIREN",
        help="Customers that share a SIREN (French companies) belong to one group, under the "
        "head office, besides the parent companies and their subsidiaries.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "credit_group_by_siren" in vals:
            self.env["res.partner"]._credit_group_recompute()
        return res


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    credit_group_by_siren = fields.Boolean(
        related="company_id.credit_group_by_siren", readonly=False
    )
