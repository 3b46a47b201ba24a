import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from stdnum import iso11649

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import DunningTestCommon


class DunningPortalCommon(DunningTestCommon, HttpCase):
    """Two customers with overdue invoices, reminded today by the first level (email, no penalties)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        signatory = cls.make_user("relances_portal", "l10n_fr_dunning.group_dunning_user")
        cls.bank_account = cls.identify_parties(signatory)
        cls.bank_account.bank_id = cls.env["res.bank"].create({"name": "BNP Paribas", "bic": "BNPAFRPPXXX"})
        cls.company.dunning_user_id = signatory
        cls.today = fields.Date.today()
        due = cls.today - timedelta(days=5)
        # 1028.71 + 20 % VAT (205.742 rounded to 205.74) = 1234.45; 250 + 50 = 300; total 1534.45.
        cls.invoice_a = cls.make_invoice(cls.customer_pro, 1028.71, due - timedelta(days=30), due)
        cls.invoice_b = cls.make_invoice(cls.customer_pro, 250, due - timedelta(days=30), due)
        cls.other_invoice = cls.make_invoice(cls.customer_consumer, 400, due - timedelta(days=30), due)
        reminders = cls.env["l10n_fr_dunning.run"].with_company(cls.company)._run_company(cls.company, cls.today)
        cls.reminder = reminders.filtered(lambda reminder: reminder.partner_id == cls.customer_pro)
        cls.other_reminder = reminders - cls.reminder
        cls.token = cls.reminder._portal_token()

    def page(self, token=None, suffix=""):
        return self.url_open(f"/relance/{token or self.token}{suffix}")

    def post(self, suffix, data, files=None, token=None):
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.page(token).text).group(1)
        return self.url_open(f"/relance/{token or self.token}{suffix}", data={**data, "csrf_token": csrf}, files=files)


@tagged("post_install", "-at_install")
class TestPortal(DunningPortalCommon):
    def test_reminder_levels_of_setup(self):
        self.assertEqual(self.reminder.level_id, self.level_first)
        self.assertEqual(self.reminder.state, "sent")
        self.assertEqual(self.reminder._payment_amount(), 1534.45)

    def test_page_shows_only_its_customer(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertIn(self.invoice_b.name, response.text)
        self.assertIn("1\xa0534,45\xa0€", response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        self.assertNotIn(self.customer_consumer.name, response.text)

    def test_altered_or_expired_token_gets_nothing(self):
        reminder_id, expiry, signature = self.token.split("-")
        past = self.today - timedelta(days=1)
        later = self.today + timedelta(days=3650)
        for token in (
            f"{reminder_id}-{expiry}-{signature[:-1]}{'1' if signature.endswith('0') else '0'}",
            f"{self.other_reminder.id}-{expiry}-{signature}",
            f"{reminder_id}-{later:%Y%m%d}-{signature}",
            f"{reminder_id}-{past:%Y%m%d}-{self.reminder._portal_signature(past)}",
            "garbage",
            f"{reminder_id}-{expiry}",
        ):
            for suffix in ("", "/lettre", "/payer"):
                response = self.url_open(f"/relance/{token}{suffix}", allow_redirects=False)
                self.assertEqual(response.status_code, 404, f"{token}{suffix}")
                self.assertNotIn(self.invoice_a.name, response.text)
        self.assertEqual(self.page().status_code, 200)

    def test_promise_from_the_page(self):
        promised = self.today + timedelta(days=10)
        response = self.post("/promesse", {"date": promised.isoformat(), "amount": "1300,00"})
        self.assertEqual(response.status_code, 200)
        # The promise wizard's rule: oldest invoice first (same due date: lowest id), the rest on the next one.
        self.assertEqual(self.invoice_a.dunning_promise_date, promised)
        self.assertEqual(self.invoice_a.dunning_promise_amount, 1234.45)
        self.assertEqual(self.invoice_b.dunning_promise_amount, 65.55)
        self.assertEqual(self.reminder.activity_ids.user_id, self.company.dunning_user_id)
        self.assertIn("1,300.00", str(self.reminder.message_ids[0].body))
        self.assertEqual(self.reminder.message_ids[0].author_id, self.customer_pro)
        # The reminder's form shows the link it carries and the customer's answer.
        self.assertEqual(self.reminder.portal_link, f"{self.reminder.get_base_url()}/relance/{self.token}")
        self.assertEqual(self.reminder.portal_answer_ids.kind, "promise")

    def test_promise_refused_writes_nothing(self):
        response = self.post("/promesse", {"date": (self.today - timedelta(days=1)).isoformat(), "amount": "100"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.invoice_a.dunning_promise_date)
        self.assertFalse(self.env["l10n_fr_dunning.portal.answer"].search([("reminder_id", "=", self.reminder.id)]))
        response = self.post("/promesse", {"date": self.today.isoformat(), "amount": "9999"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.invoice_a.dunning_promise_date)

    def test_dispute_with_attachment(self):
        response = self.post(
            "/litige",
            {"invoice_id": str(self.invoice_b.id), "reason": "Livraison incomplète"},
            files={"attachment": ("bon.txt", b"bon de livraison", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.invoice_b.dunning_disputed)
        self.assertEqual(self.invoice_b.dunning_dispute_reason, "Livraison incomplète")
        self.assertFalse(self.invoice_a.dunning_disputed)
        self.assertEqual(
            self.env["ir.attachment"]
            .search([("res_model", "=", "account.move"), ("res_id", "=", self.invoice_b.id), ("name", "=", "bon.txt")])
            .raw,
            b"bon de livraison",
        )
        self.assertTrue(self.reminder.activity_ids)

    def test_dispute_of_another_customers_invoice_refused(self):
        response = self.post("/litige", {"invoice_id": str(self.other_invoice.id), "reason": "Pas à moi"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.other_invoice.dunning_disputed)

    def test_plan_request_and_rate_limit(self):
        self.company.dunning_portal_max_answers = 2
        for _number in range(2):
            response = self.post("/echeancier", {"request_text": "Trois mois", "instalments": "500 € le 15"})
            self.assertEqual(response.status_code, 200)
        answers = self.env["l10n_fr_dunning.portal.answer"].search([("reminder_id", "=", self.reminder.id)])
        self.assertEqual(answers.mapped("kind"), ["plan", "plan"])
        self.assertIn("500 € le 15", answers[0].summary)
        self.assertEqual(len(self.reminder.activity_ids), 2)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.page().text)
        self.assertFalse(csrf, "no form once the limit is reached")
        response = self.url_open(f"/relance/{self.token}/echeancier", data={"request_text": "Encore"})
        self.assertIn(response.status_code, (400, 429))
        self.assertEqual(
            self.env["l10n_fr_dunning.portal.answer"].search_count([("reminder_id", "=", self.reminder.id)]), 2
        )

    def test_plan_request_makes_a_draft_plan_shown_on_the_page(self):
        self.post("/echeancier", {"request_text": "Trois mois", "instalments": "500 € le 15"})
        answer = self.env["l10n_fr_dunning.portal.answer"].search([("reminder_id", "=", self.reminder.id)])
        plan = self.env["l10n_fr_dunning.payment.plan"].search([("partner_id", "=", self.customer_pro.id)])
        self.assertEqual(
            (plan.state, plan.portal_answer_id, plan.reminder_id, plan.invoice_ids, plan.user_id),
            ("draft", answer, self.reminder, self.invoice_a | self.invoice_b, self.company.dunning_user_id),
        )
        self.assertIn("500 € le 15", plan.note)
        self.assertIn("Votre demande d'échéancier est en cours d'examen", self.page().text)
        # the responsible completes it: 1 534,45 in two monthly instalments of 767,22 and 767,23
        plan.write({"generate_count": 2, "generate_unit": "months", "generate_first_date": self.today})
        plan.action_generate_lines()
        plan.action_accept()
        self.assertEqual(plan.line_ids.mapped("amount"), [767.22, 767.23])
        page = " ".join(self.page().text.split())
        self.assertIn("Échéancier en cours", page)
        self.assertIn("767,23 €", page)

    def test_qr_code_payload(self):
        values = self.reminder._payment_qr_values()
        reference = self.reminder._payment_structured_reference().replace(" ", "")
        self.assertEqual(
            values[:9],
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "BNPAFRPPXXX",
                "Atelier Dupont",
                "FR7630006000011234567890189",
                "EUR1534.45",
                "",
            ],
        )
        self.assertEqual(values[9], reference)
        self.assertTrue(iso11649.is_valid(reference))
        self.assertTrue(reference.endswith(f"RL{self.reminder.id:06d}"))
        self.assertTrue(self.reminder._payment_qr_code_base64().startswith("data:image/png;base64,"))

    def test_email_carries_links_and_qr(self):
        mail = self.env["mail.mail"].search([("model", "=", self.reminder._name), ("res_id", "=", self.reminder.id)])
        body = str(mail.body_html)
        self.assertIn(f"/relance/{self.token}/payer", body)
        self.assertIn("/report/barcode/?barcode_type=QR", body)
        self.assertIn("EUR1534.45", body.replace("%0A", "\n").replace("+", " "))

    def test_payment_link_amount(self):
        response = self.url_open(f"/relance/{self.token}/payer", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        query = parse_qs(urlparse(response.headers["Location"]).query)
        self.assertEqual(query["amount"], ["1534.45"])
        self.assertEqual(query["partner_id"], [str(self.customer_pro.id)])
        self.assertEqual(query["dunning_token"], [self.token])

    def test_demo_payment_through_the_link_stops_dunning(self):
        provider = self.env.ref("payment.payment_provider_demo").sudo()
        method = self.env.ref("payment_demo.payment_method_demo").sudo()
        method.active = True
        provider.write(
            {
                "company_id": self.company.id,
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        page = self.url_open(f"/relance/{self.token}/payer")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/relance/{self.token}/transaction", page.text)
        query = parse_qs(
            urlparse(self.url_open(f"/relance/{self.token}/payer", allow_redirects=False).headers["Location"]).query
        )
        self.make_jsonrpc_request(
            f"/relance/{self.token}/transaction",
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "token_id": None,
                "amount": 1534.45,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": f"/relance/{self.token}",
                "is_validation": False,
                "access_token": query["access_token"][0],
            },
        )
        transaction = self.env["payment.transaction"].search([("provider_id", "=", provider.id)])
        self.assertEqual(transaction.invoice_ids, self.invoice_a | self.invoice_b)
        self.assertEqual(transaction.amount, 1534.45)
        transaction.action_demo_set_done()
        transaction._post_process()
        self.assertEqual(set((self.invoice_a | self.invoice_b).mapped("payment_state")) - {"paid", "in_payment"}, set())
        self.assertFalse((self.invoice_a | self.invoice_b).filtered("dunning_active"))
        later = self.run_dunning(self.today + timedelta(days=20))
        self.assertFalse(later.line_ids.move_id & (self.invoice_a | self.invoice_b))

    def test_forged_payment_amount_refused(self):
        query = parse_qs(
            urlparse(self.url_open(f"/relance/{self.token}/payer", allow_redirects=False).headers["Location"]).query
        )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/relance/{self.token}/transaction",
                {
                    "provider_id": 1,
                    "payment_method_id": 1,
                    "token_id": None,
                    "amount": 1.0,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/",
                    "is_validation": False,
                    "access_token": query["access_token"][0],
                },
            )
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", self.invoice_a.ids)]))
