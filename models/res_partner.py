from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import debtor_regimes, french_law
from .dunning_checks import check_date, check_range
from .res_company import MAX_CONTRACTUAL_RATE

DUNNING_USER = "l10n_fr_dunning.group_dunning_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_debtor_kind = fields.Selection(
        debtor_regimes.DEBTOR_KINDS,
        string="Debtor kind",
        compute="_compute_dunning_debtor_kind",
        store=True,
        readonly=False,
        recursive=True,
        help="Commercial professionals (traders, artisans, commercial companies) and other professionals (civil "
        "companies, associations, liberal professions, farmers) owe late-payment penalties and the 40 € "
        "indemnity (Code de commerce L441-10); their courts differ (L721-3). Consumers and non-professionals "
        "owe legal interest from the mise en demeure only (Code civil 1231-6). Public buyers owe intérêts "
        "moratoires at ECB + 8 points and the 40 € (Code de la commande publique L2192-13, R2192-31).",
    )
    dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(6, 3),
        groups="base.group_user",
        help="Late-payment rate agreed with this customer; empty for the company's rate. It may not be below "
        "three times the legal interest rate (Code de commerce L441-10 II).",
    )
    dunning_legal_form = fields.Char(string="Legal form", help="SAS, SARL, EURL, SA… for letters and court files.")
    # A company's decision about a customer it may share with other companies: one value per company.
    dunning_excluded = fields.Boolean(string="Excluded from dunning", company_dependent=True, groups=DUNNING_USER)
    dunning_paused_until = fields.Date(string="Dunning paused until", company_dependent=True, groups=DUNNING_USER)
    dunning_pause_reason = fields.Char(
        string="Reason for exclusion or pause",
        company_dependent=True,
        groups=DUNNING_USER,
    )
    dunning_policy_id = fields.Many2one(
        "l10n_fr_dunning.policy",
        string="Dunning policy",
        company_dependent=True,
        groups=DUNNING_USER,
        check_company=True,
        help="The ladder this customer follows; empty for the policy of its debtor kind, else the default policy.",
    )
    dunning_effective_policy_id = fields.Many2one(
        "l10n_fr_dunning.policy",
        string="Policy followed",
        compute="_compute_dunning_effective_policy_id",
        groups=DUNNING_USER,
        help="The customer's own policy, else the policy of its debtor kind, else the company's default policy.",
    )
    dunning_contact_id = fields.Many2one(
        "res.partner",
        string="Reminder contact",
        compute="_compute_dunning_contact_id",
        store=True,
        readonly=False,
        groups=DUNNING_USER,
        check_company=True,
        copy=False,
        help="Receives the reminders; by default the invoice address of the customer.",
    )
    dunning_insolvent = fields.Boolean(
        string="Insolvency proceedings",
        help="Sauvegarde, redressement or liquidation judiciaire: no reminder, no penalty after the opening "
        "judgment, no recovery indemnity (Code de commerce L622-7, L622-28); the claim goes to the mandataire.",
        groups=DUNNING_USER,
    )
    dunning_insolvency_date = fields.Date(string="Opening judgment date", groups=DUNNING_USER)
    dunning_bodacc_date = fields.Date(
        string="BODACC publication",
        groups=DUNNING_USER,
        help="Publication of the opening judgment in the BODACC: the claims born before the judgment are "
        "declared to the mandataire judiciaire within 2 months of it (Code de commerce R622-24).",
    )
    dunning_mandataire_id = fields.Many2one(
        "res.partner",
        string="Mandataire judiciaire",
        groups=DUNNING_USER,
        help="Receives the déclaration de créance of the claims born before the opening judgment (L622-24).",
    )
    dunning_claim_declaration_deadline = fields.Date(
        string="Déclaration de créance by",
        compute="_compute_dunning_claim_declaration_deadline",
        store=True,
        groups=DUNNING_USER,
        help="2 months from the BODACC publication, 4 for a creditor outside metropolitan France "
        "(Code de commerce R622-24), moved to the next working day.",
    )
    dunning_reminder_ids = fields.One2many(
        "l10n_fr_dunning.reminder",
        "partner_id",
        string="Reminders",
        groups=DUNNING_USER,
    )
    dunning_reminder_count = fields.Integer(compute="_compute_dunning_reminder_count", groups=DUNNING_USER)
    # The customer's dunning at a glance (Dunning tab), in the companies of the session; computed for a whole
    # list of customers with a few grouped queries (_compute_dunning_summary).
    dunning_open_balance = fields.Monetary(
        string="Open balance",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="Receivable not reconciled yet: invoices due, less credit notes and payments not allocated.",
    )
    dunning_overdue_amount = fields.Monetary(
        string="Overdue amount",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="What is left to pay on the instalments whose due date has passed.",
    )
    dunning_level_id = fields.Many2one(
        "l10n_fr_dunning.level",
        string="Dunning level",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="The highest level reached by the customer's open invoices.",
    )
    dunning_last_reminder_date = fields.Date(
        string="Last reminder",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="The last reminder that reached the customer.",
    )
    dunning_next_reminder_date = fields.Date(
        string="Next reminder",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
    )
    dunning_promise_count = fields.Integer(
        string="Promises to pay",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="Open invoices with a promise to pay that has not expired.",
    )
    dunning_dispute_count = fields.Integer(
        string="Disputes",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
        help="Open invoices disputed by the customer.",
    )
    dunning_court_file_count = fields.Integer(
        string="Court files",
        compute="_compute_dunning_summary",
        groups=DUNNING_USER,
    )
    dunning_routes_available = fields.Boolean(
        compute="_compute_dunning_routes_available",
        groups=DUNNING_USER,
        help="A mise en demeure was sent, or an open invoice is at the mise en demeure or court stage: the routes "
        "after the mise en demeure apply.",
    )

    @api.constrains("dunning_policy_id")
    def _check_dunning_policy_company(self):
        """A customer's policy in a company is one of that company's policies."""
        self._check_company(["dunning_policy_id"])

    @api.depends("dunning_policy_id", "dunning_debtor_kind", "commercial_partner_id")
    @api.depends_context("company")
    def _compute_dunning_effective_policy_id(self):
        ladders = self.env["l10n_fr_dunning.policy"]._company_ladders(self.env.company)
        for partner in self:
            partner.dunning_effective_policy_id = ladders.policy_of(partner.commercial_partner_id)

    @api.depends("is_company", "dunning_legal_form", "company_registry", "parent_id.dunning_debtor_kind")
    def _compute_dunning_debtor_kind(self):
        for partner in self:
            origin = partner._origin
            if partner.parent_id:
                partner.dunning_debtor_kind = partner.parent_id.dunning_debtor_kind
            elif (
                not partner.dunning_debtor_kind
                or origin.is_company != partner.is_company
                or origin.dunning_legal_form != partner.dunning_legal_form
                or origin.company_registry != partner.company_registry
            ):
                partner.dunning_debtor_kind = debtor_regimes.default_debtor_kind(
                    partner.is_company, partner.dunning_legal_form, partner.company_registry
                )

    @api.depends("dunning_insolvent", "dunning_bodacc_date")
    def _compute_dunning_claim_declaration_deadline(self):
        company = self.env.company
        abroad = company.country_id.code != "FR" or (company.zip or "").startswith("97")
        for partner in self:
            partner.dunning_claim_declaration_deadline = (
                partner.dunning_insolvent
                and partner.dunning_bodacc_date
                and french_law.claim_declaration_deadline(partner.dunning_bodacc_date, abroad)
            )

    def _dunning_claim_declaration_lines(self, company):
        """The claims to declare (born before the opening judgment), to the day before it (L622-28):
        [{move, due (already due at the judgment), principal, interest, indemnity}]."""
        customer = self.commercial_partner_id
        opening = customer.dunning_insolvency_date
        if not (customer.dunning_insolvent and opening):
            return []
        moves = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("dunning_active", "=", True),
                ],
                order="invoice_date_due, id",
            )
            .filtered(lambda move: move._dunning_insolvency().pre_opening)
        )
        amounts = moves._dunning_amounts(fields.Date.subtract(opening, days=1))
        return [
            {
                "move": move,
                "due": move.invoice_date_due < opening,
                "principal": amounts[move.id].principal,
                "interest": amounts[move.id].penalty,
                "indemnity": amounts[move.id].indemnity,
            }
            for move in moves
        ]

    def _dunning_regime(self):
        """The debtor regime of this customer (lib/debtor_regimes.py): interest, 40 €, texts, court."""
        return debtor_regimes.regime_of(self.commercial_partner_id.dunning_debtor_kind)

    def _dunning_contractual_rate(self, company):
        """The contractual penalty rate agreed with this customer, else the company's, else None (statutory)."""
        return self.commercial_partner_id.dunning_contractual_rate or company.dunning_contractual_rate or None

    @api.depends("child_ids.type")
    def _compute_dunning_contact_id(self):
        for partner in self:
            invoice_contacts = partner.child_ids.filtered(lambda child: child.type == "invoice")
            current = partner.dunning_contact_id
            if invoice_contacts and current not in invoice_contacts:
                partner.dunning_contact_id = invoice_contacts[:1]
            elif not current or current not in partner.child_ids | partner:
                partner.dunning_contact_id = partner._origin or partner

    def _compute_dunning_reminder_count(self):
        counts = dict(
            self.env["l10n_fr_dunning.reminder"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_reminder_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends("commercial_partner_id")
    def _compute_dunning_summary(self):
        """Seven grouped queries for all the partners read, whatever their number."""
        today = fields.Date.context_today(self)
        customers = self.commercial_partner_id._origin  # a form's new record reads its saved customer's figures
        Line = self.env["account.move.line"]
        Move = self.env["account.move"]
        receivable = [
            ("partner_id", "in", customers.ids),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        balances = dict(Line._read_group(receivable, ["partner_id"], ["amount_residual:sum"]))
        overdue = dict(
            Line._read_group(
                receivable + [("date_maturity", "<", today), ("amount_residual", ">", 0)],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        open_invoices = [("commercial_partner_id", "in", customers.ids), ("dunning_active", "=", True)]
        levels, next_dates = {}, {}
        for customer, level, next_date in Move._read_group(
            open_invoices, ["commercial_partner_id", "dunning_level_id"], ["dunning_next_date:min"]
        ):
            if level and (
                customer not in levels
                or (level.sequence, level.delay_days) > (levels[customer].sequence, levels[customer].delay_days)
            ):
                levels[customer] = level
            if next_date and (customer not in next_dates or next_date < next_dates[customer]):
                next_dates[customer] = next_date
        promises = dict(
            Move._read_group(
                open_invoices + [("dunning_promise_date", ">=", today)], ["commercial_partner_id"], ["__count"]
            )
        )
        disputes = dict(
            Move._read_group(open_invoices + [("dunning_disputed", "=", True)], ["commercial_partner_id"], ["__count"])
        )
        last_dates = dict(
            self.env["l10n_fr_dunning.reminder"]._read_group(
                [("partner_id", "in", customers.ids), ("state", "=", "sent")], ["partner_id"], ["date:max"]
            )
        )
        court_files = dict(
            self.env["l10n_fr_dunning.court.file"]._read_group(
                [("partner_id", "in", customers.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id._origin
            partner.dunning_open_balance = balances.get(customer, 0.0)
            partner.dunning_overdue_amount = overdue.get(customer, 0.0)
            partner.dunning_level_id = levels.get(customer)
            partner.dunning_last_reminder_date = last_dates.get(customer)
            partner.dunning_next_reminder_date = next_dates.get(customer)
            partner.dunning_promise_count = promises.get(customer, 0)
            partner.dunning_dispute_count = disputes.get(customer, 0)
            partner.dunning_court_file_count = court_files.get(customer, 0)

    @api.depends_context("company")
    def _compute_dunning_routes_available(self):
        """In two queries for all the partners: a sent mise en demeure, or an open invoice at that stage or later."""
        customers = self.commercial_partner_id
        company = self.env.company
        late = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("dunning_active", "=", True),
                    "|",
                    ("dunning_level_id.is_formal_notice", "=", True),
                    ("dunning_level_id.stops_automation", "=", True),
                ]
            )
            .commercial_partner_id
        )
        noticed = (
            self.env["l10n_fr_dunning.reminder"]
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("is_formal_notice", "=", True),
                ]
            )
            .partner_id
        )
        for partner in self:
            partner.dunning_routes_available = partner.commercial_partner_id in late | noticed

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "dunning_debtor_kind",
            "dunning_legal_form",
            "dunning_excluded",
            "dunning_paused_until",
            "dunning_pause_reason",
            "dunning_insolvent",
            "dunning_insolvency_date",
            "dunning_bodacc_date",
            "dunning_mandataire_id",
            "dunning_contractual_rate",
        ]

    @api.constrains("dunning_paused_until", "dunning_contact_id")
    def _check_dunning_settings(self):
        for partner in self:
            check_date(partner, "dunning_paused_until")
            contact = partner.dunning_contact_id
            if contact and contact.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: choose the customer itself or one of its "
                        "contacts as reminder contact.",
                        contact=contact.display_name,
                        customer=partner.display_name,
                    )
                )

    @api.constrains("dunning_insolvent", "dunning_insolvency_date")
    def _check_dunning_insolvency_date(self):
        for partner in self:
            if partner.dunning_insolvent and not partner.dunning_insolvency_date:
                raise ValidationError(
                    self.env._(
                        "Enter the date of the opening judgment of %s's insolvency proceedings: "
                        "penalties stop running from that day.",
                        partner.display_name,
                    )
                )

    @api.constrains("dunning_contractual_rate")
    def _check_dunning_contractual_rate(self):
        for partner in self:
            check_range(partner, "dunning_contractual_rate", 0, MAX_CONTRACTUAL_RATE)
        self.env["res.company"]._check_dunning_rate_floor(
            [
                (partner.display_name, partner.dunning_contractual_rate)
                for partner in self
                if partner.dunning_contractual_rate > 0
            ]
        )

    @api.constrains("dunning_insolvency_date", "dunning_bodacc_date")
    def _check_dunning_bodacc_date(self):
        for partner in self:
            if (
                partner.dunning_bodacc_date
                and partner.dunning_insolvency_date
                and partner.dunning_bodacc_date < partner.dunning_insolvency_date
            ):
                raise ValidationError(
                    self.env._(
                        "The BODACC publication of %(customer)s cannot come before its opening judgment (%(date)s).",
                        customer=partner.display_name,
                        date=partner.dunning_insolvency_date,
                    )
                )

    def action_open_dunning_reminders(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminders"),
            "res_model": "l10n_fr_dunning.reminder",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_send_next(self):
        """Open the preview of this customer's next reminder: nothing is created until it is confirmed."""
        return self.env["l10n_fr_dunning.send.wizard"]._open_for(self.commercial_partner_id)

    def _dunning_invoices_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "account.move",
            "view_mode": "list,form",
            "views": [(self.env.ref("l10n_fr_dunning.move_dunning_view_list").id, "list"), (False, "form")],
            "domain": [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("dunning_active", "=", True),
                *domain,
            ],
            "context": {"create": False},
        }

    def action_open_dunning_promises(self):
        today = fields.Date.context_today(self)
        return self._dunning_invoices_action(self.env._("Promises to pay"), [("dunning_promise_date", ">=", today)])

    def action_open_dunning_disputes(self):
        return self._dunning_invoices_action(self.env._("Disputes"), [("dunning_disputed", "=", True)])

    def action_open_dunning_court_files(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Court files"),
            "res_model": "l10n_fr_dunning.court.file",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False},
        }

    def action_dunning_routes(self):
        """The routes after the mise en demeure for this customer, explained (the user decides)."""
        partner = self.commercial_partner_id
        partner.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Routes"),
            "res_model": "l10n_fr_dunning.route.advisor",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": partner.ids},
        }

    def action_dunning_hand_over(self):
        """A draft hand-over file with the customer's open invoices not in a court file nor handed over yet."""
        partner = self.commercial_partner_id
        partner.ensure_one()
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("dunning_active", "=", True),
                ("dunning_court_file_id", "=", False),
                ("dunning_collection_file_id", "=", False),
            ]
        )
        collection_file = self.env["l10n_fr_dunning.collection.file"].create(
            {
                "partner_id": partner.id,
                "route": "collection_agency",
                "move_ids": [Command.set(moves.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "l10n_fr_dunning.collection.file",
            "res_id": collection_file.id,
            "view_mode": "form",
        }

    # ---- Payment plans -------------------------------------------------------------------------------------

    dunning_payment_plan_count = fields.Integer(compute="_compute_dunning_payment_plan_count", groups=DUNNING_USER)

    def _compute_dunning_payment_plan_count(self):
        counts = dict(
            self.env["l10n_fr_dunning.payment.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.dunning_payment_plan_count = counts.get(partner.commercial_partner_id._origin, 0)

    def action_open_dunning_payment_plans(self):
        return self._open_dunning_payment_plans([("partner_id", "=", self.commercial_partner_id.id)])

    @api.model
    def _open_dunning_payment_plans(self, domain):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment plans"),
            "res_model": "l10n_fr_dunning.payment.plan",
            "view_mode": "list,form",
            "domain": domain,
            "context": {"default_partner_id": self.commercial_partner_id.id} if self else {},
        }
