from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningPolicy(DunningTestCommon):
    """Several ladders per company: each customer's own, else its debtor kind's, else the default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policies.action_unarchive()
        cls.policy_consumer = cls.policies.filtered(lambda policy: policy.name == "Consumers")
        cls.policy_key = cls.policies.filtered(lambda policy: policy.name == "Key accounts")
        Level = cls.env["l10n_fr_dunning.level"]
        cls.consumer_ladder = Level._ladder(cls.policy_consumer)
        cls.key_ladder = Level._ladder(cls.policy_key)
        cls.customer_key = cls.env["res.partner"].create(
            {
                "name": "Grande Distribution SA",
                "is_company": True,
                "email": "fournisseurs@gd.example",
                "street": "1 place de la Bourse",
                "zip": "75002",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.customer_key.with_company(cls.company).dunning_policy_id = cls.policy_key

    def test_customers_of_two_segments_get_their_own_ladder_in_one_run(self):
        pro = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        consumer = self.make_invoice(self.customer_consumer, 500, "2025-03-01", "2025-03-31")
        key = self.make_invoice(self.customer_key, 2000, "2025-03-01", "2025-03-31")
        reminders = self.run_dunning("2025-04-01")
        by_customer = {reminder.partner_id: reminder for reminder in reminders}
        self.assertEqual(set(by_customer), {self.customer_pro, self.customer_consumer}, "key accounts wait 16 days")
        self.assertEqual(by_customer[self.customer_pro].level_id, self.level_first)
        self.assertEqual(by_customer[self.customer_consumer].level_id, self.consumer_ladder[0])
        self.assertEqual(by_customer[self.customer_consumer].policy_id, self.policy_consumer)
        self.assertEqual(by_customer[self.customer_consumer].amount_residual, 600.0, "500 + 20 % VAT")
        self.assertEqual(consumer.dunning_next_date, date(2025, 4, 15), "due + 15 days, the consumers' 2nd level")
        self.assertEqual(key.dunning_next_date, date(2025, 4, 16), "due + 1 + 15 days of key accounts")

        reminders = self.run_dunning("2025-04-16")
        by_customer = {reminder.partner_id: reminder for reminder in reminders}
        self.assertEqual(by_customer[self.customer_pro].level_id, self.level_second)
        self.assertEqual(by_customer[self.customer_consumer].level_id, self.consumer_ladder[1])
        key_reminder = by_customer[self.customer_key]
        self.assertEqual(key_reminder.level_id, self.key_ladder[0])
        self.assertEqual(key_reminder.amount_residual, 2400.0)
        self.assertEqual(key_reminder.state, "to_send", "key accounts' emails wait for a person")
        self.assertEqual(key.dunning_level_id, self.key_ladder[0])
        self.assertEqual(pro.dunning_level_id, self.level_second)

    def test_customer_policy_override_kind_and_default(self):
        Partner = self.env["res.partner"].with_company(self.company)
        self.assertEqual(Partner.browse(self.customer_pro.id).dunning_effective_policy_id, self.policy)
        self.assertEqual(Partner.browse(self.customer_consumer.id).dunning_effective_policy_id, self.policy_consumer)
        self.assertEqual(Partner.browse(self.customer_key.id).dunning_effective_policy_id, self.policy_key)
        contact = Partner.create({"name": "Service achats", "parent_id": self.customer_key.id})
        self.assertEqual(contact.dunning_effective_policy_id, self.policy_key, "a contact follows its company")
        self.policy_consumer.debtor_kind_ids = False
        Partner.invalidate_model(["dunning_effective_policy_id"])
        self.assertEqual(
            Partner.browse(self.customer_consumer.id).dunning_effective_policy_id, self.policy, "no kind: the default"
        )
        self.policy_key.action_archive()
        Partner.invalidate_model(["dunning_effective_policy_id"])
        self.assertEqual(Partner.browse(self.customer_key.id).dunning_effective_policy_id, self.policy)

    def test_policy_is_a_decision_of_each_company(self):
        company_b = self.setup_other_company(name="Filiale Sud")["company"]
        self.assertFalse(self.customer_key.with_company(company_b).dunning_policy_id)
        policy_b = self.env["l10n_fr_dunning.policy"].search(
            [("company_id", "=", company_b.id), ("name", "=", "Professionals")]
        )
        self.assertEqual(self.customer_key.with_company(company_b).dunning_effective_policy_id, policy_b)
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.customer_key.with_company(self.company).dunning_policy_id = policy_b

    def test_one_ladder_order_per_policy(self):
        """Each policy has its own sequences; within one, a sequence is used once and delays never go down."""
        self.assertEqual(self.key_ladder[0].sequence, self.level_first.sequence, "a copy, in another policy: no clash")
        with self.assertRaisesRegex(ValidationError, "same sequence"):
            self.key_ladder[2].sequence = self.key_ladder[1].sequence
        with self.assertRaisesRegex(ValidationError, "shorter than"):
            self.key_ladder[1].delay_days = 10

    def test_one_policy_per_debtor_kind(self):
        consumer = self.env.ref("l10n_fr_dunning.debtor_kind_consumer")
        with self.assertRaisesRegex(ValidationError, "in the policies Consumers and Key accounts"):
            self.policy_key.debtor_kind_ids = [Command.link(consumer.id)]
        self.policy_consumer.action_archive()
        self.policy_key.debtor_kind_ids = [Command.link(consumer.id)]
        self.assertEqual(self.customer_consumer.with_company(self.company).dunning_effective_policy_id, self.policy_key)

    def test_policy_keeps_the_company_of_its_levels(self):
        company_b = self.setup_other_company(name="Filiale Est")["company"]
        with self.assertRaisesRegex(ValidationError, "belong to another company"):
            self.policy_key.company_id = company_b

    def test_one_default_policy(self):
        with self.assertRaisesRegex(ValidationError, "several default dunning policies"):
            self.policy_key.is_default = True

    def test_policy_form_adds_a_level_to_its_ladder(self):
        with Form(self.policy_key) as form:
            with form.level_ids.new() as level:
                level.name = "Appel du directeur financier"
                level.sequence = 60
                level.delay_days = 120
                level.channel = "phone"
        added = self.policy_key.level_ids.filtered(lambda level: level.name == "Appel du directeur financier")
        self.assertEqual(added.company_id, self.company)
        self.assertEqual(self.env["l10n_fr_dunning.level"]._ladder(self.policy_key)[-1], added)

    def test_customer_form_chooses_a_policy(self):
        with Form(self.customer_consumer.with_company(self.company)) as form:
            self.assertEqual(form.dunning_effective_policy_id, self.policy_consumer)
            form.dunning_policy_id = self.policy_key
            self.assertEqual(form.dunning_effective_policy_id, self.policy_key)
        self.assertEqual(self.customer_consumer.with_company(self.company).dunning_policy_id, self.policy_key)

    def test_send_next_reminder_follows_the_customer_policy(self):
        self.make_invoice(self.customer_key, 2000, "2025-03-01", "2025-03-31")
        values, _invoices = (
            self.env["l10n_fr_dunning.run"]
            .with_company(self.company)
            ._next_reminder_values(self.customer_key.with_company(self.company))
        )
        self.assertEqual(values["level_id"], self.key_ladder[0].id)

    def test_run_reads_policies_without_a_query_per_customer(self):
        """The dry run of 3 or 9 customers in three policies costs the same number of queries."""
        Run = self.env["l10n_fr_dunning.run"].with_company(self.company)
        counts, plan = [], []
        for start in (0, 3):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Client {index}", "is_company": index % 3 != 1, "email": f"c{index}@example.fr"}
                    for index in range(start, start * 2 + 3)
                ]
            )
            customers[0].with_company(self.company).dunning_policy_id = self.policy_key
            for customer in customers:
                self.make_invoice(customer, 100, "2025-01-01", "2025-01-31")
            Run._plan_company(self.company, date(2025, 3, 10))  # warm the caches of the ORM
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            plan = Run._plan_company(self.company, date(2025, 3, 10))[0]
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(len(plan), 9)
        levels = self.env["l10n_fr_dunning.level"].browse([values["level_id"] for values, _lines, _problem in plan])
        self.assertEqual(set(levels.policy_id), {self.policy, self.policy_consumer, self.policy_key})
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestMultiChannelLevel(DunningTestCommon):
    """A level may add a letter or a call to its email, in the same reminder."""

    def print_queue(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_fr_dunning.action_dunning_print_queue")
        return self.env["l10n_fr_dunning.reminder"].search(safe_eval(action["domain"]))

    def test_email_and_letter(self):
        self.level_first.write(
            {"extra_channel": "letter", "report_id": self.env.ref("l10n_fr_dunning.action_report_reminder_letter").id}
        )
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(reminder.state, "sent", "the email went out")
        self.assertEqual(
            len(self.env["mail.mail"].search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])), 1
        )
        self.assertFalse(reminder.extra_done)
        self.assertEqual(reminder.activity_ids, reminder.extra_activity_id)
        self.assertEqual(reminder.extra_activity_id.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn(reminder, self.print_queue())
        wizard = self.env["l10n_fr_dunning.print.wizard"].create({"reminder_ids": [Command.set(reminder.ids)]})
        wizard.with_context(force_report_rendering=True).action_print()
        self.assertTrue(reminder.extra_done)
        self.assertTrue(reminder.letter_attachment_id, "the letter printed is kept with the email")
        self.assertFalse(reminder.activity_ids)
        self.assertNotIn(reminder, self.print_queue())
        self.assertEqual(reminder.state, "sent")

    def test_email_and_registered_letter(self):
        self.level_second.write(
            {"extra_channel": "lrar", "report_id": self.env.ref("l10n_fr_dunning.action_report_reminder_letter").id}
        )
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        reminder = self.run_dunning("2025-04-15")
        self.assertEqual((reminder.level_id, reminder.state), (self.level_second, "sent"), "the email went out")
        self.assertIn(reminder, self.print_queue())
        with self.assertRaisesRegex(UserError, "Record the registered letter number"):
            reminder.action_extra_done()
        with self.assertRaisesRegex(UserError, "Record the registered letter number"):
            reminder.action_record_lrar()
        reminder.action_record_lrar("1a 123 456 7890 1", date(2025, 4, 16))
        self.assertEqual(reminder.lrar_tracking_number, "1A12345678901")
        self.assertTrue(reminder.extra_done)
        self.assertEqual((reminder.state, reminder.sent_date), ("sent", date(2025, 4, 15)), "the email's sending")
        self.assertFalse(reminder.activity_ids)
        self.assertNotIn(reminder, self.print_queue())
        with self.assertRaisesRegex(UserError, "was sent"):
            reminder.lrar_tracking_number = "1A12345678902"

    def test_email_and_call(self):
        self.level_second.write({"extra_channel": "phone", "call_script": "Appeler {customer} pour {amount}"})
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        reminder = self.run_dunning("2025-04-15")
        self.assertEqual(reminder.level_id, self.level_second)
        self.assertEqual(reminder.state, "sent")
        activity = reminder.extra_activity_id
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        # 1,200 + 40 € indemnity + 1,200 × 13.15 % × 15 / 365 = 6.48 of penalties (ECB 3.15 + 10 points)
        self.assertEqual(reminder.amount_total, 1246.48)
        self.assertIn("Appeler Boulangerie Martin SARL pour 1,246.48", str(activity.note))
        reminder.action_extra_done()
        self.assertTrue(reminder.extra_done)
        self.assertFalse(reminder.activity_ids)

    def test_manual_email_keeps_the_call_task_when_sent(self):
        self.level_first.write({"extra_channel": "phone", "auto_send": False})
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(len(reminder.activity_ids), 2, "check the email, and call")
        reminder.action_send()
        self.assertEqual(reminder.activity_ids, reminder.extra_activity_id, "sending the email is not the call")

    def test_second_channel_validation(self):
        with self.assertRaisesRegex(ValidationError, "second channel to an email only"):
            self.level_third.extra_channel = "letter"
        self.level_first.report_id = False
        with self.assertRaisesRegex(ValidationError, "choose the letter to print"):
            self.level_first.extra_channel = "letter"
