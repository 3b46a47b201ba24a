"""Who may read, create, write and delete what: every model of the module × group × company, generated."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DunningTestCommon

GROUPS = {
    "invoicing": "account.group_account_invoice",
    "dunning_user": "l10n_fr_dunning.group_dunning_user",
    "dunning_manager": "l10n_fr_dunning.group_dunning_manager",
    "system": "l10n_fr_dunning.group_dunning_manager,base.group_system",
    "portal": "base.group_portal",
}
# Operations each group may do on the records of its own company (r: read, c: create, w: write, u: unlink).
COMPANY_RECORDS = {"dunning_user": "rcw", "dunning_manager": "rcwu", "system": "rcwu"}
EXPECTED = {
    "l10n_fr_dunning.level": {"dunning_user": "r", "dunning_manager": "rcwu", "system": "rcwu"},
    "l10n_fr_dunning.policy": {"dunning_user": "r", "dunning_manager": "rcwu", "system": "rcwu"},
    "l10n_fr_dunning.reminder": COMPANY_RECORDS,
    "l10n_fr_dunning.reminder.line": COMPANY_RECORDS,
    "l10n_fr_dunning.court.file": COMPANY_RECORDS,
    "l10n_fr_dunning.court.file.line": COMPANY_RECORDS,
    "l10n_fr_dunning.court.file.document": COMPANY_RECORDS,
    "l10n_fr_dunning.collection.file": COMPANY_RECORDS,
    # Facts of the world, shared by every company: only system administrators change them.
    "l10n_fr_dunning.ecb.rate": {"dunning_user": "r", "dunning_manager": "r", "system": "rcwu"},
    "l10n_fr_dunning.legal.rate": {"dunning_user": "r", "dunning_manager": "r", "system": "rcwu"},
}
SHARED_MODELS = {"l10n_fr_dunning.ecb.rate", "l10n_fr_dunning.legal.rate"}
# Buttons that read or change a record: refused to whoever may not write it (another company, no dunning group).
ACTIONS = {
    "l10n_fr_dunning.reminder": [
        "action_send",
        "action_mark_sent",
        "action_cancel",
        "action_record_lrar",
        "action_open_invoices",
    ],
    "l10n_fr_dunning.court.file": [
        "action_mark_filed",
        "action_record_ordonnance",
        "action_record_rejection",
        "action_mark_served",
        "action_record_opposition",
        "action_mark_enforceable",
        "action_open_invoices",
    ],
    "account.move": ["action_dunning_send_next", "action_dunning_resolve_dispute"],
}


class _Denied(Exception):
    pass


class _Undo(Exception):
    pass


@tagged("post_install", "-at_install")
class TestAccessMatrix(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Filiale Nord")["company"]
        cls.users = {}
        for company in (cls.company, cls.company_b):
            for key, groups in GROUPS.items():
                cls.users[company, key] = cls.make_user(f"{key}_{company.id}", groups)
                cls.users[company, key].write({"company_ids": [Command.set(company.ids)], "company_id": company.id})
        cls.invoice = cls.make_invoice(cls.customer_pro, 1000, "2025-03-01", "2025-03-31")
        cls.records = cls.make_records(cls.company, cls.invoice, EXPECTED)

    @classmethod
    def make_records(cls, company, invoice, models):
        """One record of each of ``models`` in ``company`` (rates are shared), none referenced by another."""
        env = cls.env
        reminder = env["l10n_fr_dunning.reminder"].create(cls.values("l10n_fr_dunning.reminder", company, invoice))
        court_file = env["l10n_fr_dunning.court.file"].create(
            cls.values("l10n_fr_dunning.court.file", company, invoice)
        )
        records = {"l10n_fr_dunning.reminder": reminder, "l10n_fr_dunning.court.file": court_file}
        for model in models:
            if model not in records:
                records[model] = env[model].create(cls.values(model, company, invoice, records, variant=1))
        return records

    @classmethod
    def values(cls, model, company, invoice, records=None, variant=0):
        """Values to create a valid record of ``model`` in ``company``; ``variant`` tells two records apart where
        a record must be unique (rates, level sequences)."""
        records = records or {}
        attachment = cls.env["ir.attachment"].create({"name": "piece.pdf", "raw": b"%PDF-1.4"})
        return {
            "l10n_fr_dunning.policy": lambda: {
                "name": f"Grands comptes {variant}",
                "company_id": company.id,
            },
            "l10n_fr_dunning.level": lambda: {
                "name": "Relance finale",
                "company_id": company.id,
                "policy_id": cls.default_policy(company).id,
                "sequence": 99 - variant,
                "delay_days": 3000 - variant,
            },
            "l10n_fr_dunning.reminder": lambda: {
                "partner_id": cls.customer_pro.id,
                "contact_id": cls.customer_pro.id,
                "company_id": company.id,
                "level_id": cls.env["l10n_fr_dunning.level"]._ladder(cls.default_policy(company))[0].id,
                "date": f"2025-04-0{1 + variant}",
            },
            "l10n_fr_dunning.reminder.line": lambda: {
                "reminder_id": records["l10n_fr_dunning.reminder"].id,
                "move_id": invoice.id,
                "amount_residual": 1,
            },
            "l10n_fr_dunning.court.file": lambda: {
                "name": "IP droits",
                "partner_id": cls.customer_pro.id,
                "company_id": company.id,
                "date": "2026-01-05",
                "court_kind": "commerce",
                "court_name": "Tribunal de commerce de Lyon",
                "court_address": "Lyon",
            },
            "l10n_fr_dunning.court.file.line": lambda: {
                "court_file_id": records["l10n_fr_dunning.court.file"].id,
                "move_id": invoice.id,
                "kind": "principal",
                "amount": 1200,
            },
            "l10n_fr_dunning.court.file.document": lambda: {
                "court_file_id": records["l10n_fr_dunning.court.file"].id,
                "number": 1,
                "name": "Facture",
                "attachment_id": attachment.id,
                "file_name": "facture.pdf",
            },
            "l10n_fr_dunning.collection.file": lambda: {
                "partner_id": cls.customer_pro.id,
                "company_id": company.id,
                "route": "collection_agency",
            },
            "l10n_fr_dunning.ecb.rate": lambda: {"effective_date": f"2026-12-0{2 + variant}", "rate": 2.15},
            "l10n_fr_dunning.legal.rate": lambda: {
                "semester_start": f"{2027 + variant}-07-01",
                "rate_individual": 6.5,
                "rate_other": 2.9,
            },
        }[model]()

    WRITES = {
        "l10n_fr_dunning.level": {"min_interval_days": 5},
        "l10n_fr_dunning.policy": {"sequence": 15},
        "l10n_fr_dunning.reminder": {"lrar_tracking_number": "1A12345678901"},
        "l10n_fr_dunning.reminder.line": {"days_late": 3},
        "l10n_fr_dunning.court.file": {"court_address": "Greffe, Lyon"},
        "l10n_fr_dunning.court.file.line": {"amount": 1300},
        "l10n_fr_dunning.court.file.document": {"name": "Facture n° 1"},
        "l10n_fr_dunning.collection.file": {"commission_percent": 12},
        "l10n_fr_dunning.ecb.rate": {"source": "BCE"},
        "l10n_fr_dunning.legal.rate": {"source": "Arrêté"},
    }

    def allowed(self, operation):
        """Whether ``operation`` goes through; its effects are undone either way."""
        try:
            with self.env.cr.savepoint():
                operation()
                self.env.flush_all()
                raise _Undo
        except _Undo:
            return True
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()

    def operations(self, model, user, record):
        as_user = record.with_user(user).with_company(user.company_id)
        return {
            "r": lambda: as_user.read(list(self.WRITES[model])),
            "c": lambda: (
                self.env[model]
                .with_user(user)
                .with_company(user.company_id)
                .create(self.values(model, self.company, self.invoice, self.records, variant=2))
            ),
            "w": lambda: as_user.write(self.WRITES[model]),
            "u": lambda: as_user.unlink(),
        }

    def test_access_matrix(self):
        """Company A's records: each group of A does exactly what it is granted; nobody of B reads or changes them."""
        for model, rights in EXPECTED.items():
            record = self.records[model]
            for (company, key), user in self.users.items():
                granted = rights.get(key, "")
                if company != self.company and model not in SHARED_MODELS:
                    granted = ""  # another company's records: nothing at all
                for letter, operation in self.operations(model, user, record).items():
                    with self.subTest(model=model, group=key, company=company.name, operation=letter):
                        self.assertEqual(self.allowed(operation), letter in granted)

    def test_actions_refused_to_other_companies_and_groups(self):
        records = dict(self.records, **{"account.move": self.invoice})
        for model, actions in ACTIONS.items():
            for (company, key), user in self.users.items():
                if company == self.company and key in COMPANY_RECORDS:
                    continue  # allowed: these actions then follow their own business rules
                for action in actions:
                    with (
                        self.subTest(model=model, group=key, company=company.name, action=action),
                        self.assertRaises(AccessError),
                        self.env.cr.savepoint(),
                    ):
                        getattr(records[model].with_user(user).with_company(user.company_id), action)()

    def test_no_line_of_another_company_points_at_our_invoice(self):
        """A manager of company B cannot hang its own reminder or court file on company A's invoice."""
        manager_b = self.users[self.company_b, "dunning_manager"]
        theirs = self.make_records(
            self.company_b,
            self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31", company=self.company_b),
            [],
        )
        cases = [
            (
                "l10n_fr_dunning.reminder.line",
                {
                    "reminder_id": theirs["l10n_fr_dunning.reminder"].id,
                    "move_id": self.invoice.id,
                    "amount_residual": 1,
                },
            ),
            (
                "l10n_fr_dunning.court.file.line",
                {
                    "court_file_id": theirs["l10n_fr_dunning.court.file"].id,
                    "move_id": self.invoice.id,
                    "kind": "principal",
                    "amount": 1,
                },
            ),
        ]
        for model, values in cases:
            # An AccessError is a UserError: refused by the record rules or by the company check.
            with self.subTest(model=model), self.assertRaises(UserError):
                with self.env.cr.savepoint():
                    self.env[model].with_user(manager_b).with_company(self.company_b).create(values)
                    self.env.flush_all()
        with self.assertRaises(AccessError):
            self.invoice.with_user(manager_b).with_company(self.company_b).read(["name", "invoice_date"])

    def test_dunning_fields_of_invoices_and_customers_by_group(self):
        invoicing = self.users[self.company, "invoicing"]
        portal = self.users[self.company, "portal"]
        dunning_user = self.users[self.company, "dunning_user"]
        self.assertTrue(dunning_user.has_group("account.group_account_invoice"), "letters and requête need invoices")
        for values in ({"dunning_disputed": True}, {"dunning_promise_date": "2025-04-10"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.invoice.with_user(invoicing).write(values)
        for values in (
            {"dunning_excluded": True},
            {"dunning_paused_until": "2025-04-20"},
            {"dunning_insolvent": True, "dunning_insolvency_date": "2025-03-01"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.customer_pro.with_user(invoicing).write(values)
        portal.partner_id.parent_id = self.customer_pro
        self.invoice.message_subscribe(self.customer_pro.ids)
        self.assertEqual(
            self.invoice.with_user(portal).read(["name"])[0]["name"],
            self.invoice.name,
            "the customer's portal user sees its invoice",
        )
        for field in ("dunning_level_id", "dunning_dispute_reason", "dunning_promise_date", "dunning_promise_amount"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.invoice.with_user(portal).read([field])
        with self.assertRaises(AccessError):
            self.company.with_user(portal).read(["dunning_contractual_rate"])
        for action in ("action_dunning_send_next", "action_dunning_resolve_dispute"):
            with self.subTest(action=action), self.assertRaises(AccessError), self.env.cr.savepoint():
                getattr(self.invoice.with_user(invoicing), action)()
        search = self.env["res.partner"].with_user(invoicing).get_views([(False, "search")])["views"]["search"]
        self.assertNotIn("dunning_excluded", search["arch"], "no filter on a field the user cannot read")
        self.invoice.with_user(dunning_user).write({"dunning_disputed": True, "dunning_dispute_reason": "Prix"})
        self.assertTrue(self.invoice.dunning_disputed)

    def test_exclusion_and_pause_are_decisions_of_each_company(self):
        """Company B excludes and pauses a shared customer: company A still reminds it."""
        self.make_invoice(self.customer_pro, 100, "2025-03-01", "2025-03-31", company=self.company_b)
        self.customer_pro.with_company(self.company_b).write(
            {"dunning_excluded": True, "dunning_paused_until": "2025-05-01", "dunning_pause_reason": "Litige B"}
        )
        self.assertTrue(self.customer_pro.with_company(self.company_b).dunning_excluded)
        self.assertFalse(self.customer_pro.with_company(self.company).dunning_excluded)
        self.assertFalse(self.customer_pro.with_company(self.company).dunning_paused_until)
        theirs = self.env["account.move"].search(
            [("company_id", "=", self.company_b.id), ("partner_id", "=", self.customer_pro.id)]
        )
        self.assertFalse(theirs.dunning_next_date, "no next reminder in B")
        self.assertTrue(self.invoice.dunning_next_date, "a next reminder in A")
        # A reminded it on 1 April (setUpClass); its second reminder is due on 15 April.
        self.assertEqual(self.run_dunning("2025-04-16").partner_id, self.customer_pro, "A still reminds it")
        self.assertFalse(self.run_dunning("2025-04-16", company=self.company_b), "B excluded it")
