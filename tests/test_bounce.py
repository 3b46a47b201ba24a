from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_mail_server import IrMailServer

from .common import DunningTestCommon

DSN = """\
From: MAILER-DAEMON@mail.example.fr
To: relances@example.fr
Subject: Undelivered Mail Returned to Sender
Message-Id: <dsn-{reminder_id}@mail.example.fr>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message to {email}: mailbox unknown.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fr

Final-Recipient: rfc822; {email}
Action: failed
Status: 5.1.1

--BOUNDARY
Content-Type: message/rfc822

From: relances@example.fr
To: {email}
Subject: 1re relance
Message-Id: {message_id}

Bonjour,

--BOUNDARY--
"""

REPLY = """\
From: Boulangerie Martin <compta@martin.example>
To: relances@example.fr
Subject: Re: 1re relance
Message-Id: <reply-{reminder_id}@martin.example>
In-Reply-To: {message_id}
References: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Nous payons vendredi.
"""


@tagged("post_install", "-at_install")
class TestBounce(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = cls.make_user("relances_bounce", "l10n_fr_dunning.group_dunning_user")
        cls.company.dunning_user_id = cls.responsible
        cls.invoice = cls.make_invoice(cls.customer_pro, 1000, "2025-03-01", "2025-03-31")

    def remind(self):
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual((reminder.state, reminder.channel), ("sent", "email"))
        return reminder

    def receive(self, template, reminder):
        raw = template.format(
            reminder_id=reminder.id, email=self.customer_pro.email, message_id=reminder.mail_message_id.message_id
        )
        return self.env["mail.thread"].sudo().message_process(False, raw)

    def test_bounce_fails_the_reminder_and_plans_the_letter(self):
        reminder = self.remind()
        self.assertEqual(self.invoice.dunning_level_id, self.level_first)
        self.receive(DSN, reminder)
        self.assertEqual(reminder.state, "failed")
        self.assertIn(self.customer_pro.email, reminder.failure_reason)
        self.assertEqual(reminder.bounce_fallback_channel, "letter")
        # The failed-reminder rule: a failed reminder does not count, the invoice is back before the first level.
        self.assertFalse(self.invoice.dunning_level_id)
        activity = reminder.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.responsible)
        self.assertIn("letter", activity.summary)
        # The letter (the standard reminder letter: the email level has none) is printed, then recorded as posted.
        self.assertEqual(reminder._letter_report(), self.env.ref("l10n_fr_dunning.action_report_reminder_letter"))
        reminder.action_mark_sent()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(self.invoice.dunning_level_id, self.level_first)

    def test_no_new_email_while_the_bounce_fallback_waits(self):
        reminder = self.remind()
        self.receive(DSN, reminder)
        self.make_invoice(self.customer_pro, 500, "2025-03-15", "2025-04-14")
        # Fifteen days later the second level is due, but the letter planned after the bounce is not posted yet:
        # the run sends nothing to the address that bounced.
        self.assertFalse(self.run_dunning("2025-04-16"))
        reminder.action_mark_sent()
        later = self.run_dunning("2025-04-17")
        self.assertEqual((later.level_id, later.channel), (self.level_second, "email"))

    def test_refused_address_at_sending_fails_the_reminder(self):
        self.customer_pro.email = "compta-chez-martin"
        reminder = self.remind()
        mail = self.env["mail.mail"].search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        # No SMTP server on the test machine: a session that is never used (Odoo sends nothing in test mode, after
        # checking the recipients).
        with patch.object(IrMailServer, "connect", lambda *args, **kwargs: SimpleNamespace(quit=lambda: None)):
            mail.send()
        self.assertEqual(reminder.state, "failed")
        self.assertEqual(reminder.bounce_fallback_channel, "letter")
        self.assertIn("could not be sent", reminder.failure_reason)
        self.assertEqual(len(reminder.activity_ids), 1)

    def test_bounced_reminder_emailed_again_to_a_corrected_address(self):
        reminder = self.remind()
        self.receive(DSN, reminder)
        self.customer_pro.email = "comptabilite@martin.example"
        reminder.action_send()
        self.assertEqual(reminder.state, "sent")
        self.assertFalse(reminder.bounce_fallback_channel)
        self.assertEqual(self.invoice.dunning_level_id, self.level_first)

    def test_fallback_channel_of_the_level(self):
        self.level_first.fallback_channel = "phone"
        reminder = self.remind()
        self.receive(DSN, reminder)
        self.assertEqual(reminder.bounce_fallback_channel, "phone")
        self.assertEqual(reminder.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_reply_lands_in_the_reminder(self):
        reminder = self.remind()
        self.receive(REPLY, reminder)
        self.assertIn("Nous payons vendredi", str(reminder.message_ids[0].body))
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.activity_ids.user_id, self.responsible)
        self.assertIn("replied", reminder.activity_ids.summary)

    def test_copies_to_cc_and_internal_followers(self):
        self.company.dunning_cc_email = "direction@example.fr"
        follower = self.make_user("suivi_relances", "l10n_fr_dunning.group_dunning_user")
        follower.email = "suivi@example.fr"
        invoice = self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        reminder = invoice.dunning_line_ids.reminder_id
        reminder.message_subscribe(partner_ids=(follower.partner_id | self.customer_pro).ids)
        self.assertEqual(
            reminder._email_copy_recipients(), f"direction@example.fr, {follower.partner_id.email_formatted}"
        )
        mail = self.env["mail.mail"].search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        self.assertEqual(mail.email_cc, "direction@example.fr")
