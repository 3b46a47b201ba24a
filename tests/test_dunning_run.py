from odoo.tests import tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningTestCommon):
    def test_first_reminder_emailed(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminders = self.run_dunning("2025-04-01")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.level_id, self.level_first)
        self.assertEqual(reminders.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.level_first)
        mail = self.env["mail.mail"].search([("model", "=", reminders._name), ("res_id", "=", reminders.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(self.customer_pro, mail.recipient_ids)
        self.assertIn(invoice.name, str(mail.body_html))
