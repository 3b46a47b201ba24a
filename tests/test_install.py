from odoo.tests import TransactionCase


class TestInstall(TransactionCase):
    def test_rate_records_loaded(self):
        ecb = self.env["l10n_fr_dunning.ecb.rate"].search([])
        legal = self.env["l10n_fr_dunning.legal.rate"].search([])
        self.assertGreaterEqual(len(ecb), 19)
        self.assertGreaterEqual(len(legal), 13)
        latest = ecb.filtered(lambda rate: str(rate.effective_date) == "2025-06-11")
        self.assertAlmostEqual(latest.rate, 2.15)

    def test_default_ladder_of_main_company(self):
        levels = (
            self.env["l10n_fr_dunning.level"]
            .with_context(active_test=False)
            ._ladder(self.env.ref("l10n_fr_dunning.policy_professional"))
        )
        self.assertEqual(levels.mapped("delay_days"), [-5, 1, 15, 30, 45, 60])
        self.assertEqual(levels.filtered("is_formal_notice").channel, "lrar")
        self.assertTrue(levels[-1].stops_automation)
        self.assertFalse(levels[0].active, "the preventive reminder is off by default")

    def test_new_company_gets_the_ladder(self):
        company = self.env["res.company"].create({"name": "Filiale SAS"})
        policies = self.env["l10n_fr_dunning.policy"].search([("company_id", "=", company.id)])
        self.assertEqual(policies.mapped("name"), ["Professionals", "Consumers", "Public buyers", "Key accounts"])
        self.assertEqual(policies.filtered("is_default").name, "Professionals")
        Level = self.env["l10n_fr_dunning.level"].with_context(active_test=False)
        professional, consumer, public, key_account = (Level._ladder(policy) for policy in policies)
        for ladder in (professional, consumer, public, key_account):
            self.assertEqual(len(ladder), 6)
        self.assertEqual(consumer.mapped("delay_days"), professional.mapped("delay_days"))
        self.assertEqual(consumer.mapped("note_consumer"), professional.mapped("note_consumer"))
        self.assertEqual(key_account.mapped("delay_days"), [-5, 16, 30, 45, 60, 75], "a fortnight more after due")
        self.assertFalse(any(key_account.filtered(lambda level: level.channel == "email").mapped("auto_send")))
        self.assertEqual(key_account.policy_id.debtor_kind_ids.ids, [], "key accounts are chosen by hand")

    def test_statutory_rates_per_semester(self):
        """The derived default rates of the law reference (ECB + 10 points, L441-10 II)."""
        ecb = self.env["l10n_fr_dunning.ecb.rate"]
        expected = {
            "2019-01-01": 10.0,
            "2022-07-01": 10.0,
            "2023-01-01": 12.5,
            "2023-07-01": 14.0,
            "2024-01-01": 14.5,
            "2024-07-01": 14.25,
            "2025-01-01": 13.15,
            "2025-07-01": 12.15,
            "2026-01-01": 12.15,
        }
        for day, rate in expected.items():
            self.assertEqual(
                float(ecb._statutory_penalty_rate(__import__("datetime").date.fromisoformat(day))), rate, day
            )
