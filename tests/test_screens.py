"""The screens a credit team lives in: ageing buckets, group totals, the customer's Dunning tab, the print
wizard's and the court file's download actions."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningScreens(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = cls.make_user(
            "screens_user", "account.group_account_invoice,l10n_fr_dunning.group_dunning_user"
        )
        cls.Move = cls.env["account.move"]

    def test_ageing_buckets_at_their_boundaries(self):
        """The due date itself is not late (L441-10 II: penalties from the day after); 30 days is the last day of
        the first bucket, 31 the first of the next one, and so on."""
        today = date(2026, 6, 30)
        expected = {0: "0_not_due", 30: "1_30", 31: "31_60", 60: "31_60", 61: "61_90", 90: "61_90", 91: "91_more"}
        with freeze_time(today):
            invoices = {
                days: self.make_invoice(self.customer_pro, 100, today - timedelta(days=days)) for days in expected
            }
            mine = [("commercial_partner_id", "=", self.customer_pro.id)]
            for days, bucket in expected.items():
                with self.subTest(days_late=days):
                    self.assertEqual(invoices[days].dunning_ageing_bucket, bucket)
                    found = self.Move.search(mine + [("dunning_ageing_bucket", "=", bucket)])
                    self.assertIn(invoices[days], found)
                    self.assertEqual({move.dunning_ageing_bucket for move in found}, {bucket})
            groups = dict(self.Move._read_group(mine, ["dunning_ageing_bucket"], ["__count"]))
            self.assertEqual(groups, {"0_not_due": 1, "1_30": 1, "31_60": 2, "61_90": 2, "91_more": 1})
            self.assertEqual(
                self.Move.search(mine + [("dunning_ageing_bucket", "!=", "31_60")]),
                self.Move.union(*(invoices[days] for days in (0, 30, 61, 90, 91))),
            )
        # As of today, every day: the next day, 30 days late has become 31 (no stale stored bucket).
        with freeze_time(today + timedelta(days=1)):
            self.Move.invalidate_model(["dunning_ageing_bucket"])
            self.assertEqual(invoices[30].dunning_ageing_bucket, "31_60")
            self.assertIn(invoices[30], self.Move.search(mine + [("dunning_ageing_bucket", "=", "31_60")]))
        # A paid invoice has no bucket.
        with freeze_time(today):
            self.pay(invoices[91], 120, "2026-06-30")
            self.assertFalse(invoices[91].dunning_ageing_bucket)
            self.assertNotIn(invoices[91], self.Move.search(mine + [("dunning_ageing_bucket", "=", "91_more")]))

    def test_group_headers_and_pivot_sum_penalties_and_totals(self):
        first = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        second = self.make_invoice(self.customer_pro, 600, "2025-03-11", "2025-04-10")
        not_due = self.make_invoice(self.customer_pro, 100, "2025-05-01", "2025-06-30")
        with freeze_time("2025-04-15"):
            self.run_dunning("2025-04-15")
        self.assertEqual((first | second).dunning_level_id, self.level_first)
        fields_info = self.Move.with_user(self.dunning_user).fields_get(
            ["dunning_penalty_amount", "dunning_total_claimable", "dunning_ageing_bucket"], ["aggregator", "groupable"]
        )
        self.assertEqual(fields_info["dunning_penalty_amount"]["aggregator"], "sum", "the web client asks for sums")
        self.assertEqual(fields_info["dunning_total_claimable"]["aggregator"], "sum")
        self.assertTrue(fields_info["dunning_ageing_bucket"]["groupable"])
        with freeze_time("2025-05-15"):
            # 13.15 % (ECB 3.15 % + 10 points, 1st half of 2025) on the amounts including VAT:
            # 1 Apr–15 May, 45 days: 1200 × 13.15 % × 45 / 365 = 19.4548 → 19.45
            # 11 Apr–15 May, 35 days: 720 × 13.15 % × 35 / 365 = 9.0789 → 9.08
            penalties = 19.45 + 9.08
            totals = 1200 + 720 + penalties + 2 * 40
            groups = self.Move.with_user(self.dunning_user).read_group(
                [("commercial_partner_id", "=", self.customer_pro.id), ("dunning_active", "=", True)],
                ["dunning_penalty_amount:sum", "dunning_indemnity_amount:sum", "dunning_total_claimable:sum"],
                ["dunning_level_id"],
            )
            by_level = {group["dunning_level_id"] and group["dunning_level_id"][0]: group for group in groups}
            self.assertAlmostEqual(by_level[self.level_first.id]["dunning_penalty_amount"], penalties, places=2)
            self.assertAlmostEqual(by_level[self.level_first.id]["dunning_indemnity_amount"], 80.0, places=2)
            self.assertAlmostEqual(by_level[self.level_first.id]["dunning_total_claimable"], totals, places=2)
            self.assertEqual(
                (by_level[False]["dunning_penalty_amount"], by_level[False]["dunning_total_claimable"]),
                (0.0, 120.0),
                "the invoice not due yet",
            )
            self.assertAlmostEqual(
                by_level[self.level_first.id]["dunning_penalty_amount"],
                sum((first | second).mapped("dunning_penalty_amount")),
                places=2,
            )
            # The pivot: level × ageing, not lazy.
            cells = self.Move.with_user(self.dunning_user).read_group(
                [("commercial_partner_id", "=", self.customer_pro.id), ("dunning_active", "=", True)],
                ["dunning_total_claimable:sum"],
                ["dunning_level_id", "dunning_ageing_bucket"],
                lazy=False,
            )
            pivot = {
                (cell["dunning_level_id"] and cell["dunning_level_id"][0], cell["dunning_ageing_bucket"]): round(
                    cell["dunning_total_claimable"], 2
                )
                for cell in cells
            }
            self.assertEqual(pivot, {(self.level_first.id, "31_60"): round(totals, 2), (False, "0_not_due"): 120.0})
            self.assertEqual(not_due.dunning_ageing_bucket, "0_not_due")

    def test_group_totals_sum_the_amounts_stored_by_the_night(self):
        """After the night's action the group totals are SQL sums of stored amounts; a payment stores the invoice's
        again at once, a rate correction outdates every stored amount (then computed on the fly)."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        domain = [("id", "=", invoice.id)]
        spec = ["dunning_penalty_amount:sum", "dunning_total_claimable:sum"]
        Move = self.Move.with_user(self.dunning_user)
        engine = type(self.Move)._dunning_amounts
        with freeze_time("2025-05-15"):
            self.Move._cron_refresh_dunning_amounts()
            self.assertEqual(invoice.dunning_stored_on, date(2025, 5, 15))
            # 1 Apr–15 May, 45 days: 1200 × 13.15 % × 45 / 365 = 19.4548 → 19.45; + 1200 + 40
            with patch.object(type(self.Move), "_dunning_amounts", autospec=True, side_effect=engine) as computed:
                [group] = Move.read_group(domain, spec, [])
            self.assertFalse(computed.called, "the stored amounts of the day are summed in SQL")
            self.assertEqual((group["dunning_penalty_amount"], group["dunning_total_claimable"]), (19.45, 1259.45))
            # Paid 700 on 15 May, interest first (Code civil 1343-1): the interest of 1 Apr–14 May, 44 days,
            # 1200 × 13.15 % × 44 / 365 = 19.0224 → 19.02, is paid, 680.98 goes to the principal: 519.02 left
            # (500 of the invoice + 19.02); 15 May on it: 519.02 × 13.15 % / 365 = 0.1870 → 0.19.
            self.pay(invoice, 700, "2025-05-15")
            self.env.flush_all()
            self.assertEqual(invoice.dunning_stored_on, date(2025, 5, 15))
            [group] = Move.read_group(domain, spec, [])
            self.assertEqual((group["dunning_penalty_amount"], group["dunning_total_claimable"]), (0.19, 559.21))
            self.env["l10n_fr_dunning.ecb.rate"].search([], limit=1).source = "Corrected by hand"
            self.assertFalse(invoice.dunning_stored_on, "a rate correction outdates the stored amounts")
        with freeze_time("2025-05-25"):
            # Not refreshed yet on a new day: computed on the fly. 15–25 May, 11 days on 519.02:
            # 519.02 × 13.15 % × 11 / 365 = 2.0569 → 2.06; + 519.02 + 40 = 561.08.
            self.env.invalidate_all()  # a request of the new day
            with patch.object(type(self.Move), "_dunning_amounts", autospec=True, side_effect=engine) as computed:
                [group] = Move.read_group(domain, spec, [])
            self.assertTrue(computed.called)
            self.assertEqual((group["dunning_penalty_amount"], group["dunning_total_claimable"]), (2.06, 561.08))

    def test_the_run_computes_the_amounts_once_per_batch(self):
        """Reminding invoices does not compute their stored amounts again: only the decision runs the law engine,
        once per batch, for the invoices of the reminders."""
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_pro, 600, "2025-03-11", "2025-04-10")
        # Overdue too but under the company's minimum (120 € due < 500 €): left out, not computed.
        too_small = self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.company.dunning_min_amount = 500
        engine = type(self.Move)._dunning_amounts
        with freeze_time("2025-04-15"):
            self.Move._cron_refresh_dunning_amounts()
            with patch.object(type(self.Move), "_dunning_amounts", autospec=True, side_effect=engine) as computed:
                reminders = self.run_dunning("2025-04-15")
                self.env.flush_all()
        self.assertEqual(len(reminders), 1)
        self.assertEqual(computed.call_count, 1)
        self.assertNotIn(too_small, computed.call_args.args[0], "an invoice not reminded is not computed")

    def test_failed_and_to_review_filters(self):
        self.customer_consumer.email = False
        unreachable = self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        promised = self.make_invoice(self.customer_pro, 100, "2025-03-01", "2025-03-31")
        with freeze_time("2025-04-01"):
            promised.dunning_promise_date = "2025-04-10"
            failed = self.run_dunning("2025-04-01")
            self.assertEqual(failed.state, "failed")
        mine = [("id", "in", (unreachable | promised).ids)]
        with freeze_time("2025-04-05"):
            self.assertEqual(self.Move.search(mine + [("dunning_reminder_failed", "=", True)]), unreachable)
            self.assertTrue(unreachable.dunning_reminder_failed)
        # To review: the failed reminder, and the promise once expired unpaid.
        search = self.env.ref("l10n_fr_dunning.move_dunning_view_search").arch
        self.assertIn("dunning_reminder_failed", search)
        with freeze_time("2025-04-11"):
            today = "2025-04-11"
            to_review = [
                "|",
                ("dunning_reminder_failed", "=", True),
                "&",
                ("dunning_promise_date", "!=", False),
                ("dunning_promise_date", "<", today),
            ]
            self.assertEqual(self.Move.search(mine + to_review), unreachable | promised)
            # Once the customer is reached, its invoice leaves the failed ones.
            self.customer_consumer.email = "jeanne@durand.example"
            self.run_dunning("2025-04-11")
            self.assertEqual(self.Move.search(mine + [("dunning_reminder_failed", "=", True)]), self.Move)

    def test_customer_dunning_tab(self):
        """Two invoices, a partial payment and a credit note not allocated, computed by hand."""
        first = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")  # 1 200 incl. VAT
        with freeze_time("2025-04-01"):
            reminder = self.run_dunning("2025-04-01")
        second = self.make_invoice(self.customer_pro, 500, "2025-05-01", "2025-06-30")  # 600 incl. VAT
        self.pay(first, 200, "2025-04-20")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer_pro.id,
                "invoice_date": "2025-04-25",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Avoir",
                            "quantity": 1,
                            "price_unit": 100,
                            "tax_ids": [Command.set(self.tax_20.ids)],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        with freeze_time("2025-05-15"):
            second.write({"dunning_promise_date": "2025-06-20", "dunning_disputed": True})
            customer = self.customer_pro.with_user(self.dunning_user)
            self.assertEqual(reminder.state, "sent")
            self.assertAlmostEqual(customer.dunning_open_balance, 1200 - 200 + 600 - 120)
            self.assertAlmostEqual(customer.dunning_overdue_amount, 1000, msg="only the first invoice is late")
            self.assertEqual(customer.dunning_level_id, self.level_first)
            self.assertEqual(customer.dunning_last_reminder_date, date(2025, 4, 1))
            # The 2e relance: due date + 15 days (15/04), after the 10 days since the 1re (11/04).
            self.assertEqual(customer.dunning_next_reminder_date, date(2025, 4, 15))
            self.assertEqual(
                (customer.dunning_promise_count, customer.dunning_dispute_count, customer.dunning_court_file_count),
                (1, 1, 0),
            )
            promises = customer.action_open_dunning_promises()
            self.assertEqual(self.Move.search(promises["domain"]), second)
            # A new contact typed in the form (onchange) reads its company's figures; so does a saved contact.
            draft = Form(self.env["res.partner"].with_user(self.dunning_user))  # not saved
            draft.name = "Nouveau contact"
            draft.parent_id = self.customer_pro
            self.assertAlmostEqual(draft.dunning_overdue_amount, 1000)
            contact = self.env["res.partner"].create({"name": "Service comptable", "parent_id": self.customer_pro.id})
            self.assertAlmostEqual(contact.with_user(self.dunning_user).dunning_overdue_amount, 1000)

    def test_reading_a_list_of_customers_costs_the_same_queries_as_one(self):
        for customer in (self.customer_pro, self.customer_consumer):
            self.make_invoice(customer, 100, "2025-03-01", "2025-03-31")
        others = self.env["res.partner"].create([{"name": f"Client {index}"} for index in range(5)])
        names = [
            "dunning_open_balance",
            "dunning_overdue_amount",
            "dunning_level_id",
            "dunning_last_reminder_date",
            "dunning_next_reminder_date",
            "dunning_promise_count",
            "dunning_dispute_count",
            "dunning_court_file_count",
        ]
        counts = []
        for partners in (self.customer_pro, self.customer_pro | self.customer_consumer | others):
            partners = partners.with_user(self.dunning_user)
            self.env.invalidate_all()
            partners.read(["name"])  # the records themselves
            partners.read(names)  # warms the caches (record rules, currencies)
            self.env.invalidate_all()
            partners.read(["name"])
            before = self.cr.sql_log_count
            partners.read(names)
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "no query per customer")

    def test_print_wizard_downloads_then_closes(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        day = date(2026, 5, 6)
        reminder = self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": self.customer_pro.id,
                "contact_id": self.customer_pro.id,
                "company_id": self.company.id,
                "level_id": self.level_litigation.id,
                "date": day,
                "line_ids": invoice._dunning_reminder_line_commands(invoice._dunning_amounts(day), day),
            }
        )
        wizard = self.env["l10n_fr_dunning.print.wizard"].create({"reminder_ids": [Command.set(reminder.ids)]})
        action = wizard.with_context(force_report_rendering=True).action_print()
        merged = self.env["ir.attachment"].search([("name", "=like", "Dunning letters %")], order="id desc", limit=1)
        self.assertEqual(
            action, {"type": "ir.actions.act_url", "url": f"/web/content/{merged.id}?download=true", "close": True}
        )
        self.assertTrue(merged.raw.startswith(b"%PDF"))
        self.assertEqual(reminder.state, "sent")

    def test_court_file_zip_downloads_directly(self):
        archive = self.env["ir.attachment"].create({"name": "dossier.zip", "raw": b"PK\x05\x06" + bytes(18)})
        court_file = self.env["l10n_fr_dunning.court.file"].create(
            {
                "name": "IP/2026/0001",
                "partner_id": self.customer_pro.id,
                "company_id": self.company.id,
                "date": "2026-05-06",
                "court_kind": "commerce",
                "court_name": "Tribunal de commerce de Lyon",
                "court_address": "44 rue de Bonnel, 69003 Lyon",
                "zip_attachment_id": archive.id,
            }
        )
        self.assertEqual(
            court_file.action_download_zip(),
            {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{archive.id}?download=true",
                "target": "download",
            },
        )

    def test_screens_load(self):
        views = self.Move.with_user(self.dunning_user).get_views(
            [
                (self.env.ref("l10n_fr_dunning.move_dunning_view_list").id, "list"),
                (self.env.ref("l10n_fr_dunning.move_dunning_view_pivot").id, "pivot"),
                (self.env.ref("l10n_fr_dunning.move_dunning_view_search").id, "search"),
            ]
        )
        self.assertIn('name="dunning_ageing_bucket"', views["views"]["pivot"]["arch"])
        for name in ("overdue", "not_yet_due", "reminder_failed", "to_review", "ageing_91_more", "group_by_ageing"):
            self.assertIn(f'name="{name}"', views["views"]["search"]["arch"])
        partner_form = self.env["res.partner"].with_user(self.dunning_user).get_views([(False, "form")])
        self.assertIn('name="dunning_overdue_amount"', partner_form["views"]["form"]["arch"])
        self.assertEqual(self.env.ref("l10n_fr_dunning.menu_move_dunning").name, "Invoices in dunning")
