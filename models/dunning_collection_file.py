from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..lib import french_words
from .dunning_court_file_export import CSV_KIND_LABELS, file_safe

COLLECTION_ROUTES = [
    ("assignation", "Lawyer: assignation en paiement"),
    ("refere_provision", "Lawyer: référé-provision"),
    ("petites_creances", "Commissaire de justice: petites créances"),
    ("enforcement", "Commissaire de justice: enforcement of a title"),
    ("collection_agency", "Collection agency"),
]
SUMMARY_REPORT = "l10n_fr_dunning.action_report_collection_file"


class DunningCollectionFile(models.Model):
    """Invoices of one customer handed over to a lawyer, a commissaire de justice or a collection agency, with the
    file sent to them; once handed over it never changes, only what is recovered and the closing are recorded."""

    _name = "l10n_fr_dunning.collection.file"
    _description = "Hand-over file"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("New hand-over"))
    route = fields.Selection(COLLECTION_ROUTES, required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user, check_company=True)
    move_ids = fields.One2many("account.move", "dunning_collection_file_id", string="Invoices")
    professional_id = fields.Many2one(
        "res.partner",
        check_company=True,
        tracking=True,
        help="The lawyer, commissaire de justice or collection agency the file is handed to.",
    )
    commission_percent = fields.Float(
        string="Commission (%)",
        digits=(5, 2),
        tracking=True,
        help="Agreed with the collection agency, on what it recovers; printed in the mandate letter.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "l10n_fr_dunning_collection_file_attachment_rel",
        "file_id",
        "attachment_id",
        string="Documents to add",
        help="Contract, CGV, purchase order, Kbis, the title and its service…: numbered "
        "after the invoices and the letters.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("handed_over", "Handed over"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
        index=True,
    )
    outcome = fields.Selection([("recovered", "Recovered"), ("abandoned", "Abandoned")], readonly=True, tracking=True)
    handover_date = fields.Date(string="Handed over on", readonly=True, tracking=True)
    close_date = fields.Date(string="Closed on", readonly=True)
    amount_handed_over = fields.Monetary(
        string="Total handed over", readonly=True, help="Total of the décompte on the hand-over date."
    )
    amount_recovered = fields.Monetary(
        compute="_compute_recovery", help="Payments and credit notes reconciled with the invoices since the hand-over."
    )
    commission_amount = fields.Monetary(compute="_compute_recovery", string="Commission")
    amount_recovered_at_close = fields.Monetary(
        string="Recovered (at closing)",
        readonly=True,
        help="What was recovered when the file was closed, kept for the statistics of hand-overs.",
    )
    recovery_lines = fields.Text(compute="_compute_recovery", string="Received since the hand-over")
    commission_bill_id = fields.Many2one(
        "account.move", string="Commission bill", readonly=True, copy=False, check_company=True
    )
    zip_attachment_id = fields.Many2one("ir.attachment", string="File (ZIP)", readonly=True, copy=False)
    piece_ids = fields.Many2many(
        "ir.attachment",
        "l10n_fr_dunning_collection_file_piece_rel",
        "file_id",
        "attachment_id",
        string="Numbered pieces",
        readonly=True,
        copy=False,
    )

    @api.depends("move_ids", "handover_date", "commission_percent", "state")
    def _compute_recovery(self):
        for collection_file in self:
            received = []
            if collection_file.handover_date:
                payments = collection_file.move_ids._dunning_payments()
                received = sorted(
                    (day, amount, move)
                    for move in collection_file.move_ids
                    for day, amount in payments.get(move.id, ())
                    if day >= collection_file.handover_date
                )
            total = float(sum(amount for _day, amount, _move in received))
            collection_file.amount_recovered = total
            collection_file.commission_amount = collection_file.currency_id.round(
                total * collection_file.commission_percent / 100
            )
            collection_file.recovery_lines = (
                "\n".join(
                    f"{fields.Date.to_string(day)}  {move.name}  "
                    f"{format_amount(self.env, float(amount), collection_file.currency_id)}"
                    for day, amount, move in received
                )
                or False
            )

    @api.constrains("commission_percent")
    def _check_commission_percent(self):
        for collection_file in self:
            if not 0 <= collection_file.commission_percent <= 100:
                raise ValidationError(self.env._("The commission must be between 0 and 100 %."))

    # ---- Immutable once handed over ------------------------------------------------------------------------

    def _writable_after_handover(self):
        """What happens after the hand-over: chatter, activities, the responsible; the file sent stays as sent."""
        chatter = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        return chatter - set(models.MAGIC_COLUMNS) - {"display_name"} | {"user_id"}

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The state of a hand-over file changes only through its buttons (hand over, recovered, abandoned)."
                )
            )
        if (
            not self.env.context.get("l10n_fr_dunning_collection_action")
            and any(collection_file.state != "draft" for collection_file in self)
            and set(vals) - self._writable_after_handover()
        ):
            raise UserError(
                self.env._(
                    "A file handed over is what the professional received: it cannot be changed. Record payments on "
                    "the "
                    "invoices, and close the file with its buttons."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(collection_file.state != "draft" for collection_file in self):
            raise UserError(self.env._("A file handed over cannot be deleted: it is part of the customer's file."))

    def _write_state(self, vals):
        """Write ``vals`` (with the new ``state``) as the actions do, once the user's write access is checked."""
        self.check_access("write")
        return self.sudo().with_context(l10n_fr_dunning_collection_action=True).write(vals)

    def _check_state(self, allowed):
        if any(collection_file.state not in allowed for collection_file in self):
            raise UserError(self.env._("This step is not possible in the file's current state."))

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_hand_over(self):
        """Check the file, build its export (summary, pieces, décompte) and hand the invoices over: automatic
        reminders stop for them."""
        self._check_state(["draft"])
        for collection_file in self:
            collection_file._check_ready()
            today = fields.Date.context_today(collection_file)
            elements = collection_file._decompte(today)
            collection_file._write_state(
                {
                    "state": "handed_over",
                    "handover_date": today,
                    "name": self.env._(
                        "%(route)s %(customer)s %(date)s",
                        customer=collection_file.partner_id.name,
                        date=today,
                        route=dict(collection_file._fields["route"]._description_selection(self.env))[
                            collection_file.route
                        ],
                    ),
                    "amount_handed_over": float(sum(element["amount"] for element in elements)),
                }
            )
            collection_file._store_pieces(today)
            archive = collection_file._zip(elements, today)
            collection_file._write_state({"zip_attachment_id": archive.id})
            body = self.env._(
                "Invoices handed over to %(professional)s (%(route)s): %(total)s.",
                professional=collection_file.professional_id.display_name,
                route=collection_file.name,
                total=format_amount(self.env, collection_file.amount_handed_over, collection_file.currency_id),
            )
            for record in [collection_file, collection_file.partner_id, *collection_file.move_ids]:
                record._message_log(body=body, attachment_ids=[Command.link(archive.id)])

    def _check_ready(self):
        problems = []
        if not self.move_ids:
            problems.append(self.env._("Select at least one invoice."))
        for move in self.move_ids:
            if not move.dunning_active or move.commercial_partner_id != self.partner_id:
                problems.append(self.env._("Invoice %s is not an open invoice of this customer.", move.name))
            if move.dunning_court_file_id and not self._enforces(move.dunning_court_file_id):
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s is already in the court file %(file)s.",
                        invoice=move.name,
                        file=move.dunning_court_file_id.name,
                    )
                )
        if not self.professional_id:
            problems.append(self.env._("Choose the professional the file is handed to."))
        if self.route == "collection_agency" and not self.commission_percent:
            problems.append(self.env._("Enter the commission agreed with the collection agency."))
        if problems:
            raise UserError(
                self.env._("The file cannot be handed over yet:\n%s", "\n".join(f"• {problem}" for problem in problems))
            )

    def _enforces(self, court_file):
        """A commissaire de justice enforcing an ordonnance takes the invoices of its enforceable court file."""
        return self.route == "enforcement" and court_file.state == "enforceable"

    def action_close_recovered(self):
        self._check_state(["handed_over"])
        for collection_file in self:
            collection_file._write_state(
                {
                    "state": "closed",
                    "outcome": "recovered",
                    "close_date": fields.Date.context_today(self),
                    "amount_recovered_at_close": collection_file.amount_recovered,
                }
            )

    def action_close_abandoned(self):
        self._check_state(["handed_over"])
        for collection_file in self:
            collection_file._write_state(
                {
                    "state": "closed",
                    "outcome": "abandoned",
                    "close_date": fields.Date.context_today(self),
                    "amount_recovered_at_close": collection_file.amount_recovered,
                }
            )

    def action_create_commission_bill(self):
        """The commission as a draft vendor bill of the professional: the cost lands in the accounts, where the
        accountant checks its VAT and posts it."""
        self.ensure_one()
        self._check_state(["handed_over", "closed"])
        if self.commission_bill_id:
            raise UserError(self.env._("The commission bill of this file already exists."))
        if self.currency_id.is_zero(self.commission_amount):
            raise UserError(self.env._("Nothing recovered since the hand-over: no commission to record."))
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.professional_id.id,
                "company_id": self.company_id.id,
                "invoice_date": fields.Date.context_today(self),
                "ref": self.name,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": self.env._(
                                "Collection commission %(percent)s %% on %(amount)s recovered (%(file)s)",
                                percent=self.commission_percent,
                                file=self.name,
                                amount=format_amount(self.env, self.amount_recovered, self.currency_id),
                            ),
                            "quantity": 1,
                            "price_unit": self.commission_amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self._write_state({"commission_bill_id": bill.id})
        self._message_log(body=self.env._("Commission recorded as a draft vendor bill."))
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": bill.id, "view_mode": "form"}

    def action_open_routes(self):
        return self.partner_id.action_dunning_routes()

    # ---- Export --------------------------------------------------------------------------------------------

    def _decompte(self, today):
        """The elements of the claim at ``today`` (CPC 1407), as the court files state them."""
        return self.env["l10n_fr_dunning.court.file.export"]._decompte(self.partner_id, self.move_ids, today)

    def _sent_reminders(self):
        """The reminders sent to the customer about the invoices of this file, oldest first."""
        self.ensure_one()
        return self.env["l10n_fr_dunning.court.file.export"]._sent_reminders(
            self.partner_id, self.company_id, self.move_ids
        )

    def _pieces(self, today):
        """[(description, file stem, attachment or PDF bytes, added by the user)] in the order they are numbered:
        what a court file holds (invoices, mises en demeure and proofs, letters), the ordonnance enforced, the
        statement, then the documents the user adds."""
        Export = self.env["l10n_fr_dunning.court.file.export"]
        reminders = self._sent_reminders()
        notices = reminders.filtered("is_formal_notice")
        pieces = Export._sent_pieces(self.move_ids, notices, reminders - notices)
        court_files = self.move_ids.dunning_court_file_id.filtered(self._enforces)
        for title in self.env["ir.attachment"].search(
            [
                ("res_model", "=", "l10n_fr_dunning.court.file"),
                ("res_id", "in", court_files.ids),
                ("res_field", "=", "ordonnance_scan"),
            ]
        ):
            court_file = court_files.browse(title.res_id)
            rendered, served = court_file.ordonnance_date, court_file.service_date
            pieces.append(
                (
                    f"Ordonnance portant injonction de payer du {rendered.strftime('%d/%m/%Y')}, "
                    f"signifiée le {served.strftime('%d/%m/%Y')}",
                    "Ordonnance",
                    title,
                )
            )
        pieces += Export._statement_pieces(self.partner_id, today)
        pieces = [(*piece, False) for piece in pieces]
        pieces += [
            (attachment.name, file_safe(attachment.name.rpartition(".")[0] or attachment.name), attachment, True)
            for attachment in self.attachment_ids.sorted("id")
        ]
        return pieces

    def _store_pieces(self, today):
        """Keep each piece as this file's own attachment, numbered from 1 (file name and description)."""
        stored = self.env["l10n_fr_dunning.court.file.export"]._store_pieces(self, self._pieces(today))
        self._write_state({"piece_ids": [Command.set([values["attachment_id"] for values in stored])]})

    def _zip(self, elements, today):
        """The ZIP: the summary (with the mandate letter for an agency), the numbered pieces, then the décompte."""
        Export = self.env["l10n_fr_dunning.court.file.export"]
        members = [("synthese-du-dossier.pdf", Export._render_pdf(SUMMARY_REPORT, self))]
        members += [(piece.name, piece.raw) for piece in self.piece_ids.sorted("name")]
        members.append(("decompte.csv", Export._decompte_csv(elements)))
        return Export._zip_attachment(self, f"Dossier-{file_safe(self.partner_id.name)}-{today}.zip", members)

    def _interest_after_text(self):
        """How interest runs after the hand-over date, with its rate (the court files' wording)."""
        return self.env["l10n_fr_dunning.court.file.export"]._interest_after_text(
            self.partner_id, self.company_id, self.handover_date or fields.Date.context_today(self)
        )


class ReportCollectionFile(models.AbstractModel):
    """Values of the hand-over summary: the décompte on the hand-over date and French formats."""

    _name = "report.l10n_fr_dunning.report_collection_file"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "Hand-over file summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data)
        docs = self.env["l10n_fr_dunning.collection.file"].browse(docids)
        values.update(
            doc_model=docs._name,
            docs=docs,
            decompte={doc.id: doc._decompte(doc.handover_date or fields.Date.context_today(doc)) for doc in docs},
            french_date=french_words.format_french_date,
            kind_labels=CSV_KIND_LABELS,
            one_day=timedelta(days=1),
        )
        return values
