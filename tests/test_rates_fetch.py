"""The daily rates action: ECB rates fetched from the ECB Data Portal (a recorded answer, the HTTP call patched),
and the to-do given to the dunning managers when the coming half-year lacks a rate."""

import os
from datetime import date
from unittest.mock import patch

import requests
from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.l10n_fr_dunning.models.ecb_rate import ECB_CHECKED_PARAM, ECB_FETCH_PARAM

RECORDED = os.path.join(os.path.dirname(__file__), "data", "ecb_mro_csvdata.csv")
LOGGER = "odoo.addons.l10n_fr_dunning.models.ecb_rate"


def ecb_answer(body, status=200):
    response = requests.Response()
    response.status_code = status
    response._content = body.encode()
    response.encoding = "utf-8"
    response.url = "https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV"
    return response


class TestEcbFetch(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["l10n_fr_dunning.ecb.rate"]
        with open(RECORDED, encoding="utf-8") as answer:
            cls.recorded = answer.read()
        # The table as an administrator left it: the 2025 changes not recorded yet, and one row of
        # theirs whose rate differs from the ECB's.
        cls.Rate.search([("effective_date", ">=", "2025-01-01")]).unlink()
        cls.admin_row = cls.Rate.create({"effective_date": "2025-03-12", "rate": 2.70, "source": "typed by hand"})

    def table(self):
        return sorted((rate.effective_date, rate.rate, rate.source) for rate in self.Rate.search([]))

    def fetch(self, **get):
        with freeze_time("2026-11-26"), patch("requests.get", **get) as mocked_get:
            created = self.Rate._cron_fetch_ecb_rates()
        return created, mocked_get

    def test_adds_the_missing_changes_once(self):
        created, get = self.fetch(return_value=ecb_answer(self.recorded))
        self.assertEqual(
            get.call_args.args, ("https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV",)
        )
        self.assertEqual(
            get.call_args.kwargs,
            {
                "params": {"format": "csvdata", "startPeriod": "2016-03-16"},
                "timeout": 10,
            },
        )
        self.assertEqual(
            sorted((rate.effective_date, rate.rate) for rate in created),
            [(date(2025, 2, 5), 2.90), (date(2025, 4, 23), 2.40), (date(2025, 6, 11), 2.15)],
        )
        self.assertEqual(
            set(created.mapped("source")),
            {"ECB Data Portal, series FM.B.U2.EUR.4F.KR.MRR_FR.LEV, fetched on 2026-11-26"},
        )
        self.assertEqual((self.admin_row.rate, self.admin_row.source), (2.70, "typed by hand"))
        self.assertEqual(self.env["ir.config_parameter"].get_param(ECB_CHECKED_PARAM), "2026-11-26")
        # The statutory rate of the second half of 2025 now reads the fetched 11 June 2025 rate.
        self.assertEqual(str(self.Rate._statutory_penalty_rate(date(2025, 8, 1))), "12.15")

        table = self.table()
        created, _get = self.fetch(return_value=ecb_answer(self.recorded))
        self.assertFalse(created)
        self.assertEqual(self.table(), table)

    def assert_nothing_changes(self, warning, **get):
        table = self.table()
        with self.assertLogs(LOGGER, "WARNING") as logs:
            created, _get = self.fetch(**get)
        self.assertFalse(created)
        self.assertEqual(self.table(), table)
        self.assertFalse(self.env["ir.config_parameter"].get_param(ECB_CHECKED_PARAM))
        self.assertIn("ECB rates not updated", logs.output[0])
        self.assertIn(warning, logs.output[0])

    def test_offline(self):
        self.assert_nothing_changes(
            "Name or service not known", side_effect=requests.ConnectionError("Name or service not known")
        )

    def test_timeout(self):
        self.assert_nothing_changes("read timed out", side_effect=requests.Timeout("read timed out"))

    def test_http_error(self):
        self.assert_nothing_changes("503", return_value=ecb_answer("Service Unavailable", status=503))

    def test_unreadable_answer(self):
        self.assert_nothing_changes(
            "not an ECB Data Portal CSV", return_value=ecb_answer("<html><body>Maintenance</body></html>")
        )

    def test_no_network_in_tests_either(self):
        """Without the patch, Odoo's test guard refuses the request as a network would: a warning, nothing else."""
        table = self.table()
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.Rate._cron_fetch_ecb_rates()
        self.assertIn("ECB rates not updated", logs.output[0])
        self.assertEqual(self.table(), table)

    def test_switched_off(self):
        self.env["ir.config_parameter"].set_param(ECB_FETCH_PARAM, "False")
        created, get = self.fetch(return_value=ecb_answer(self.recorded))
        get.assert_not_called()
        self.assertFalse(created)


class TestComingRatesWarning(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rate = cls.env["l10n_fr_dunning.ecb.rate"]
        cls.manager = new_test_user(
            cls.env, login="rates_manager", groups="base.group_user,l10n_fr_dunning.group_dunning_manager"
        )
        cls.dunning_user = new_test_user(
            cls.env, login="rates_user", groups="base.group_user,l10n_fr_dunning.group_dunning_user"
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.age_ecb_rows("2026-11-20")  # the ECB table was last recorded in the six months before 1 January 2027

    @classmethod
    def age_ecb_rows(cls, day):
        cls.env.cr.execute("UPDATE l10n_fr_dunning_ecb_rate SET create_date = %s, write_date = %s", (day, day))
        cls.Rate.invalidate_model(["create_date", "write_date"])

    def check(self, day):
        with freeze_time(day):
            self.Rate._cron_check_coming_rates()

    def activities(self, user):
        return self.env["mail.activity"].search(
            [
                ("user_id", "=", user.id),
                ("res_model", "=", "res.partner"),
                ("activity_type_id", "=", self.todo.id),
                (
                    "summary",
                    "in",
                    (
                        "Record the taux légal of the half-year starting 01/01/2027",
                        "Check the ECB rate in force on 01/01/2027",
                    ),
                ),
            ]
        )

    def test_17_december_without_the_taux_legal(self):
        self.check("2026-12-17")
        activity = self.activities(self.manager)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Record the taux légal of the half-year starting 01/01/2027")
        self.assertEqual(activity.date_deadline, date(2027, 1, 1))
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.manager.company_id.partner_id.id))
        self.assertIn("Invoicing &gt; Configuration &gt; Dunning &gt; Legal interest rates", str(activity.note))
        self.assertEqual(len(self.activities(self.env.ref("base.user_admin"))), 1)
        self.assertFalse(self.activities(self.dunning_user), "only dunning managers record rates")

    def test_16_december_is_too_early(self):
        self.check("2026-12-16")
        self.assertFalse(self.activities(self.manager))

    def test_taux_legal_recorded(self):
        self.env["l10n_fr_dunning.legal.rate"].create(
            {
                "semester_start": "2027-01-01",
                "rate_individual": 6.5,
                "rate_other": 2.5,
                "source": "arrêté (test)",
            }
        )
        self.check("2026-12-17")
        self.assertFalse(self.activities(self.manager))

    def test_daily_runs_schedule_one_activity(self):
        self.check("2026-12-17")
        self.check("2026-12-18")
        self.check("2026-12-18")
        self.assertEqual(len(self.activities(self.manager)), 1)

    def test_ecb_rate_not_confirmed_for_six_months(self):
        self.env["l10n_fr_dunning.legal.rate"].create(
            {
                "semester_start": "2027-01-01",
                "rate_individual": 6.5,
                "rate_other": 2.5,
                "source": "arrêté (test)",
            }
        )
        self.age_ecb_rows("2025-06-11")  # last change and last edit: 11 June 2025, no check against the ECB since
        self.check("2026-12-17")
        activity = self.activities(self.manager)
        self.assertEqual(activity.summary, "Check the ECB rate in force on 01/01/2027")
        self.assertEqual(activity.date_deadline, date(2027, 1, 1))

        activity.unlink()
        self.env["ir.config_parameter"].set_param(ECB_CHECKED_PARAM, "2026-12-01")  # a successful fetch
        self.check("2026-12-18")
        self.assertFalse(self.activities(self.manager))
