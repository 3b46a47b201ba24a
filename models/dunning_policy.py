from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import debtor_regimes


class DunningDebtorKind(models.Model):
    """One debtor kind of ``lib/debtor_regimes.py``, as a record a policy can list."""

    _name = "l10n_fr_dunning.debtor.kind"
    _description = "Debtor kind"
    _order = "id"

    code = fields.Selection(debtor_regimes.DEBTOR_KINDS, required=True, readonly=True)
    name = fields.Char(required=True, translate=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "Each debtor kind exists once.")]


class DunningPolicy(models.Model):
    """A customer segment's dunning ladder: professionals, consumers, public buyers, key accounts…"""

    _name = "l10n_fr_dunning.policy"
    _description = "Dunning policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    level_ids = fields.One2many("l10n_fr_dunning.level", "policy_id", string="Levels", copy=False)
    debtor_kind_ids = fields.Many2many(
        "l10n_fr_dunning.debtor.kind",
        string="Applies to",
        help="Customers of these debtor kinds follow this policy unless their own form names another one.",
    )
    is_default = fields.Boolean(
        string="Default",
        help="Followed by the customers whose debtor kind no policy lists and who have no policy of their own.",
    )
    level_count = fields.Integer(compute="_compute_level_count")

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("is_default", "debtor_kind_ids", "active", "company_id")
    def _check_one_policy_per_kind(self):
        """A company has one default policy at most, and each debtor kind is listed by one of its policies at most:
        the run never has to choose between two ladders."""
        for company in self.company_id:
            policies = self.with_context(active_test=True).sudo().search([("company_id", "=", company.id)])
            defaults = policies.filtered("is_default")
            if len(defaults) > 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s has several default dunning policies (%(policies)s): keep one.",
                        company=company.name,
                        policies=", ".join(defaults.mapped("name")),
                    )
                )
            seen = {}
            for policy in policies:
                for kind in policy.debtor_kind_ids:
                    if kind in seen:
                        raise ValidationError(
                            self.env._(
                                "The debtor kind %(kind)s is in the policies %(first)s and %(second)s of %(company)s: "
                                "a kind follows one policy only.",
                                kind=kind.name,
                                first=seen[kind].name,
                                second=policy.name,
                                company=company.name,
                            )
                        )
                    seen[kind] = policy

    @api.constrains("company_id")
    def _check_levels_company(self):
        for policy in self:
            if policy.with_context(active_test=False).level_ids.company_id - policy.company_id:
                raise ValidationError(
                    self.env._(
                        "The levels of %s belong to another company: a policy keeps the company of its levels.",
                        policy.name,
                    )
                )

    def action_open_levels(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_fr_dunning.action_level")
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id, "default_company_id": self.company_id.id}
        return action

    @api.model
    def _company_ladders(self, company):
        """The active policies of ``company`` with their ladders, read in two queries."""
        policies = self.sudo().search([("company_id", "=", company.id)])
        levels = (
            self.env["l10n_fr_dunning.level"]
            .sudo()
            .search([("policy_id", "in", policies.ids)], order="sequence, delay_days, id")
        )
        return CompanyLadders(policies, levels.grouped("policy_id"))


class CompanyLadders:
    """Which ladder each customer of a company follows: its own policy, else its debtor kind's, else the default.

    Built once per run (``DunningPolicy._company_ladders``); a customer's policy is read with its batch.
    """

    def __init__(self, policies, levels_by_policy):
        self.levels_by_policy = levels_by_policy
        self.empty = policies.env["l10n_fr_dunning.level"]
        self.default = policies.filtered("is_default")[:1]
        self.by_kind = {kind.code: policy for policy in policies for kind in policy.debtor_kind_ids}
        self.policies = policies

    def __bool__(self):
        return any(self.levels_by_policy.values())

    @property
    def first_start(self):
        """The smallest delay of the ladders' first levels: no invoice is dunned sooner."""
        return min(ladder[0].delay_days for ladder in self.levels_by_policy.values() if ladder)

    def policy_of(self, customer):
        """The policy ``customer`` (a commercial partner, read in the run's company) follows."""
        customer = customer.sudo()  # the run and the invoices' next dates read it for any user
        own = customer.dunning_policy_id
        if own in self.policies:
            return own
        return self.by_kind.get(customer.dunning_debtor_kind) or self.default

    def ladder_of(self, customer):
        return self.levels_by_policy.get(self.policy_of(customer), self.empty)
