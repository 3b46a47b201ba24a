"""The route advisor (lib/route_advisor.py) on a table of situations, then on a real customer."""

from datetime import date
from decimal import Decimal as D

import pytest

from odoo import fields
from odoo.tests import tagged

from odoo.addons.l10n_fr_dunning.lib import route_advisor
from odoo.addons.l10n_fr_dunning.lib.route_advisor import ClaimFacts

from .common import DunningTestCommon

TODAY = date(2026, 11, 26)
ROUTES = route_advisor.ROUTES


def fits(**expected):
    """Expected fit of every route: the ones named, 'no' for the others."""
    return {code: expected.get(code, "no") for code in ROUTES}


def facts(**values):
    base = dict(
        today=TODAY,
        amount=D("1800"),
        oldest_due_date=date(2026, 8, 31),
        debtor_kind="commercial",
        formal_notice_received=True,
        prescription_date=date(2031, 8, 31),
    )
    return ClaimFacts(**dict(base, **values))


SITUATIONS = {
    "small undisputed B2B claim": (
        facts(),
        fits(
            injonction="yes",
            refere_provision="yes",
            assignation="caution",
            petites_creances="yes",
            commissaire_justice="caution",
            collection_agency="yes",
        ),
    ),
    "large contested claim": (
        facts(amount=D("48000"), disputed=True, dispute_serious=True),
        fits(assignation="yes", commissaire_justice="caution"),
    ),
    "lightly contested claim": (
        facts(amount=D("9000"), disputed=True),
        fits(
            injonction="caution",
            refere_provision="caution",
            assignation="caution",
            commissaire_justice="caution",
            collection_agency="caution",
        ),
    ),
    "consumer before the mise en demeure is received": (
        facts(
            amount=D("900"), debtor_kind="consumer", formal_notice_received=False, prescription_date=date(2028, 8, 31)
        ),
        fits(
            refere_provision="yes",
            assignation="caution",
            petites_creances="yes",
            commissaire_justice="caution",
            collection_agency="caution",
        ),
    ),
    "debtor in the EU": (
        facts(amount=D("12000"), debtor_country="DE"),
        fits(assignation="caution", commissaire_justice="caution", collection_agency="yes", european_order="yes"),
    ),
    "debtor outside the EU": (
        facts(amount=D("3000"), debtor_country="CH"),
        fits(assignation="caution", commissaire_justice="caution", collection_agency="yes"),
    ),
    "insolvent debtor": (
        facts(insolvency_date=date(2026, 10, 1), claim_declaration_deadline=date(2026, 12, 14)),
        fits(claim_declaration="yes"),
    ),
    "claim near prescription": (
        facts(amount=D("2500"), prescription_date=date(2026, 12, 20)),
        fits(
            injonction="yes",
            refere_provision="yes",
            assignation="caution",
            petites_creances="yes",
            commissaire_justice="caution",
            collection_agency="caution",
        ),
    ),
    "time-barred claim": (
        facts(prescription_date=date(2026, 11, 1)),
        fits(),
    ),
    "public buyer": (
        facts(amount=D("7000"), debtor_kind="public"),
        fits(administrative="yes", commissaire_justice="caution", collection_agency="caution"),
    ),
    "debtor breaking its promises": (
        facts(amount=D("20000"), broken_promises=2),
        fits(
            injonction="yes",
            refere_provision="yes",
            assignation="caution",
            saisie_conservatoire="caution",
            commissaire_justice="caution",
            collection_agency="yes",
        ),
    ),
    "enforceable title": (
        facts(has_title=True),
        fits(
            injonction="yes",
            refere_provision="yes",
            assignation="caution",
            petites_creances="yes",
            commissaire_justice="yes",
            collection_agency="yes",
        ),
    ),
}


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_verdicts(situation):
    claim, expected = SITUATIONS[situation]
    verdicts = route_advisor.advise(claim)
    assert [verdict.code for verdict in verdicts] == list(ROUTES)
    assert {verdict.code: verdict.fit for verdict in verdicts} == expected
    for verdict in verdicts:
        assert verdict.reasons, f"{verdict.code} gives no reason"
        # A section of shared/reference/french-law.md, or the article with a warning that the reference lacks it.
        assert "§" in verdict.source or "not in french-law.md" in verdict.source, verdict.code


def by_code(claim):
    return {verdict.code: verdict for verdict in route_advisor.advise(claim)}


def test_courts_and_professionals():
    commercial = by_code(facts())
    assert commercial["injonction"].authority == "commerce"
    assert commercial["petites_creances"].authority == "commissaire_justice"
    assert commercial["saisie_conservatoire"].authority == "juge_execution"
    assert by_code(facts(debtor_kind="professional"))["injonction"].authority == "judiciaire"
    assert by_code(facts(debtor_kind="consumer"))["refere_provision"].authority == "judiciaire"
    assert by_code(facts(debtor_kind="public"))["administrative"].authority == "administrative"
    assert by_code(facts(debtor_country="DE"))["european_order"].authority == "court_abroad"


def test_deadlines():
    near = by_code(facts(prescription_date=date(2026, 12, 20)))
    assert (near["injonction"].deadline, near["injonction"].deadline_kind) == (date(2026, 12, 20), "prescription")
    assert "prescription_near_court" in [reason.code for reason in near["injonction"].reasons]
    assert "prescription_near_amicable" in [reason.code for reason in near["collection_agency"].reasons]
    insolvent = by_code(facts(insolvency_date=date(2026, 10, 1), claim_declaration_deadline=date(2026, 12, 14)))
    declaration = insolvent["claim_declaration"]
    assert (declaration.deadline, declaration.deadline_kind) == (date(2026, 12, 14), "claim_declaration")
    assert [reason.code for reason in insolvent["injonction"].reasons] == ["insolvency"]
    assert [reason.code for reason in by_code(facts(amount=D("5000.01")))["petites_creances"].reasons] == [
        "above_small_claim_limit"
    ]
    assert by_code(facts(amount=D("5000")))["petites_creances"].fit == "yes"


@tagged("post_install", "-at_install")
class TestRouteAdvisorOnCustomer(DunningTestCommon):
    """The facts built from a real customer, and the advisor wizard listing the routes with their data."""

    def test_facts_from_customer(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-06-01", "2026-07-01")
        self.make_invoice(self.customer_pro, 500, "2026-08-01", "2026-08-31")
        invoice.write({"dunning_disputed": True, "dunning_dispute_reason": "Qualité"})
        self.customer_pro.country_id = self.env.ref("base.be")
        advisor = (
            self.env["l10n_fr_dunning.route.advisor"]
            .with_context(active_model="res.partner", active_ids=self.customer_pro.ids)
            .create({})
        )
        claim = advisor._facts(fields.Date.to_date("2026-11-26"))
        self.assertEqual(claim.debtor_kind, "commercial")
        self.assertEqual(claim.debtor_country, "BE")
        self.assertTrue(claim.disputed)
        self.assertEqual(claim.oldest_due_date, date(2026, 7, 1))
        # 1,200 + 600 TTC principal, plus interest: the amount counts both invoices.
        self.assertGreater(claim.amount, D("1800"))
        # 5 years from the oldest invoice date (Code de commerce L110-4).
        self.assertEqual(claim.prescription_date, date(2031, 6, 1))
        self.assertFalse(claim.formal_notice_received)
        lines = {line.code: line for line in advisor.line_ids}
        self.assertEqual(set(lines), set(ROUTES))
        self.assertEqual(lines["european_order"].fit, "caution")
        self.assertEqual(lines["injonction"].fit, "no")
        self.assertIn("§12", lines["injonction"].source)
        self.assertTrue(lines["injonction"].explanation)
        self.assertTrue(lines["collection_agency"].route_id.typical_cost)
        self.assertEqual(
            (lines["assignation"].deadline, lines["assignation"].deadline_kind), (date(2031, 6, 1), "prescription")
        )
        self.customer_pro.write(
            {"dunning_insolvent": True, "dunning_insolvency_date": "2026-10-01", "dunning_bodacc_date": "2026-10-14"}
        )
        advisor.recovery_at_risk = True  # recomputes the routes
        lines = {line.code: line for line in advisor.line_ids}
        self.assertEqual(lines["claim_declaration"].fit, "yes")
        # 2 months from the BODACC publication (R622-24): 14/12/2026, a Monday.
        self.assertEqual(
            (lines["claim_declaration"].deadline, lines["claim_declaration"].deadline_kind),
            (date(2026, 12, 14), "claim_declaration"),
        )
        self.assertEqual(lines["saisie_conservatoire"].fit, "no", "insolvency rules out the saisie")
