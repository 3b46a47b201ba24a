"""Which routes remain once amicable dunning has failed, and why: pure Python, no Odoo import.

The advisor explains, it never decides. From the facts of one customer's unpaid claims it gives every route
French practice uses, each with whether it fits ('yes', 'caution' or 'no'), the reasons (codes the models word
and translate), the kind of court or professional that acts, the deadline that matters and its source section
in ``shared/reference/french-law.md`` (written "§N"). Where that reference does not cover a rule, the source
names the article and says "not in french-law.md": the user must check it.

Typical costs and delays are data records (``l10n_fr_dunning.route``), never constants here.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

SMALL_CLAIM_LIMIT = Decimal("5000")
"""Petites créances up to 5,000 €, principal and interest (CPCE L125-1, R125-1; french-law.md §8)."""
PRESCRIPTION_WARNING_DAYS = 90
"""A claim time-barred within this many days is flagged: only a court claim interrupts it (Code civil 2241)."""

ROUTES = (
    "injonction",
    "refere_provision",
    "assignation",
    "saisie_conservatoire",
    "petites_creances",
    "commissaire_justice",
    "collection_agency",
    "claim_declaration",
    "european_order",
    "administrative",
)
"""Every route, in the order they are shown."""

COURT_ROUTES = (
    "injonction",
    "refere_provision",
    "assignation",
    "saisie_conservatoire",
    "petites_creances",
    "european_order",
    "administrative",
)
"""Routes that are a court claim or lead to a title: they interrupt prescription (Code civil 2241)."""

EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
"""Member States bound by the European order for payment (Reg. 1896/2006 art. 2.3 leaves Denmark out)."""
EUROPEAN_ORDER_STATES = EU_COUNTRIES - {"DK"}


@dataclass(frozen=True)
class ClaimFacts:
    """What the module knows of one customer's unpaid claims on ``today``."""

    today: date
    amount: Decimal
    """Total claimed: principal still due, interest and indemnities."""
    oldest_due_date: date
    debtor_kind: str
    """A key of ``debtor_regimes.REGIMES``."""
    debtor_country: str = "FR"
    """ISO code of the debtor's country; empty is France."""
    disputed: bool = False
    dispute_serious: bool = False
    """The debtor's objection bears on the debt itself (quality, price, delivery), not a pretext."""
    broken_promises: int = 0
    insolvency_date: date = None
    """Opening judgment of a sauvegarde, redressement or liquidation judiciaire."""
    claim_declaration_deadline: date = None
    prescription_date: date = None
    """Earliest last day to act among the claims (Code civil 2228, 2229)."""
    formal_notice_received: bool = False
    recovery_at_risk: bool = False
    """Signals the debtor may empty its assets (sale of the business, moves, repeated broken promises)."""
    has_title: bool = False
    """An enforceable title already exists (ordonnance with no opposition, judgment)."""


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple = ()
    """(name, value) pairs the wording fills in."""


@dataclass(frozen=True)
class RouteVerdict:
    code: str
    fit: str
    """'yes', 'caution' or 'no'."""
    reasons: tuple
    authority: str
    """Kind of court or professional: 'commerce', 'judiciaire', 'administrative', 'juge_execution',
    'commissaire_justice', 'collection_agency', 'mandataire', 'court_abroad', 'lawyer_abroad'."""
    deadline: date
    deadline_kind: str
    """'prescription', 'claim_declaration' or ''."""
    source: str


def _court_of(kind):
    """Tribunal de commerce for a commercial professional, else tribunal judiciaire (Code de commerce L721-3,
    CPC 1406; french-law.md §7, §12)."""
    return "commerce" if kind == "commercial" else "judiciaire"


def _abroad(facts):
    return bool(facts.debtor_country) and facts.debtor_country.upper() != "FR"


def _worst(*fits):
    order = {"yes": 0, "caution": 1, "no": 2}
    return max(fits, key=order.__getitem__)


def advise(facts):
    """The verdict of every route of ``ROUTES`` for ``facts``, in that order."""
    verdicts = [_route(code, facts) for code in ROUTES]
    return [_with_prescription(verdict, facts) for verdict in verdicts]


def _with_prescription(verdict, facts):
    """Every route but the déclaration de créance races the prescription: a time-barred claim fits no route;
    near the end, only a court claim interrupts it, a reminder or an agency's letter does not (Code civil 2240,
    2241; french-law.md §5, §12)."""
    if verdict.deadline_kind or not facts.prescription_date or verdict.fit == "no":
        return verdict
    if facts.prescription_date < facts.today:
        return RouteVerdict(
            verdict.code,
            "no",
            verdict.reasons + (Reason("time_barred", (("date", facts.prescription_date),)),),
            verdict.authority,
            facts.prescription_date,
            "prescription",
            verdict.source + "; §5, §12 (prescription)",
        )
    reasons, fit = verdict.reasons, verdict.fit
    if facts.prescription_date - facts.today <= timedelta(days=PRESCRIPTION_WARNING_DAYS):
        if verdict.code in COURT_ROUTES:
            reasons += (Reason("prescription_near_court", (("date", facts.prescription_date),)),)
        else:
            fit = _worst(fit, "caution")
            reasons += (Reason("prescription_near_amicable", (("date", facts.prescription_date),)),)
    return RouteVerdict(
        verdict.code,
        fit,
        reasons,
        verdict.authority,
        facts.prescription_date,
        "prescription",
        verdict.source + "; §5, §12 (prescription)",
    )


def _blocked(code, facts):
    """A reason that rules the route out whatever else is true: insolvency, a public buyer, a debtor abroad."""
    if facts.insolvency_date and code != "claim_declaration":
        return (
            Reason("insolvency", (("date", facts.insolvency_date),)),
            "§12 (insolvency); Code de commerce L622-21, L622-24",
        )
    if code in ("claim_declaration", "european_order", "administrative"):
        return None
    if facts.debtor_kind == "public" and code not in ("collection_agency", "commissaire_justice"):
        return Reason("public_buyer"), "§12 (public buyers); CJA R541-1"
    if _abroad(facts) and code in ("injonction", "petites_creances", "saisie_conservatoire", "refere_provision"):
        return Reason("abroad", (("country", facts.debtor_country.upper()),)), "§12 (debtor abroad)"
    return None


def _route(code, facts):
    blocked = _blocked(code, facts)
    authority = _AUTHORITY[code](facts)
    if blocked:
        reason, source = blocked
        return RouteVerdict(code, "no", (reason,), authority, None, "", source)
    fit, reasons, source = _RULES[code](facts)
    if code == "claim_declaration" and fit == "yes" and facts.claim_declaration_deadline:
        # Its own deadline, 2 months from the BODACC publication (R622-24), replaces the prescription.
        return RouteVerdict(
            code, fit, tuple(reasons), authority, facts.claim_declaration_deadline, "claim_declaration", source
        )
    return RouteVerdict(code, fit, tuple(reasons), authority, None, "", source)


def _dispute(facts, serious_fit, light_fit):
    """(fit, reasons) added by an open dispute."""
    if not facts.disputed:
        return "yes", []
    if facts.dispute_serious:
        return serious_fit, [Reason("dispute_serious")]
    return light_fit, [Reason("dispute_light")]


def _injonction(facts):
    fit, reasons = _dispute(facts, "no", "caution")
    consumer = facts.debtor_kind in ("consumer", "non_professional")
    if not facts.formal_notice_received:
        # A consumer's interest runs only from the mise en demeure (Code civil 1344-1); for a professional it is
        # not required, but expected (Cass. avis 25 Sept 2025).
        fit = _worst(fit, "no" if consumer else "caution")
        reasons.append(Reason("no_formal_notice_consumer" if consumer else "no_formal_notice"))
    if fit == "yes":
        reasons.append(Reason("injonction_undisputed"))
    if facts.broken_promises:
        reasons.append(Reason("promises_broken", (("count", facts.broken_promises),)))
    if facts.amount <= SMALL_CLAIM_LIMIT:
        reasons.append(Reason("small_claim_alternative"))
    return fit, reasons, "§6, §7, §12 (requête, court); CPC 1405-1425"


def _refere_provision(facts):
    fit, reasons = _dispute(facts, "no", "caution")
    if fit == "yes":
        reasons.append(Reason("refere_undisputed"))
    return fit, reasons, "CPC 835 al. 2, 873 al. 2 (not in french-law.md: to check); §12 (court)"


def _assignation(facts):
    if facts.disputed and facts.dispute_serious:
        return (
            "yes",
            [Reason("dispute_serious"), Reason("assignation_contested")],
            "§12 (court; CPC 1409 ordinary route); CPC 750 et seq. (not in french-law.md: to check)",
        )
    return (
        "caution",
        [Reason("assignation_slower")],
        "§12 (court; CPC 1409 ordinary route); CPC 750 et seq. (not in french-law.md: to check)",
    )


def _saisie_conservatoire(facts):
    source = "CPCE L511-1, R511-1 (not in french-law.md: to check)"
    if not (facts.recovery_at_risk or facts.broken_promises >= 2):
        return "no", [Reason("no_risk_signal")], source
    reasons = [Reason("recovery_at_risk")]
    if facts.broken_promises:
        reasons.append(Reason("promises_broken", (("count", facts.broken_promises),)))
    fit, dispute_reasons = _dispute(facts, "caution", "caution")
    return _worst(fit, "caution"), reasons + dispute_reasons + [Reason("saisie_needs_follow_up")], source


def _petites_creances(facts):
    source = "§8; CPCE L125-1, R125-1"
    if facts.amount > SMALL_CLAIM_LIMIT:
        return "no", [Reason("above_small_claim_limit", (("limit", SMALL_CLAIM_LIMIT),))], source
    fit, reasons = _dispute(facts, "caution", "caution")
    return fit, [Reason("small_claim"), *reasons, Reason("small_claim_acceptance")], source


def _commissaire_justice(facts):
    if facts.has_title:
        return "yes", [Reason("title_enforcement")], "§12 (after the ordonnance)"
    return "caution", [Reason("no_title_yet")], "§7, §8, §12 (after the ordonnance)"


def _collection_agency(facts):
    fit, reasons = _dispute(facts, "no", "caution")
    reasons.append(Reason("agency_commission"))
    if facts.debtor_kind in ("consumer", "non_professional"):
        fit = _worst(fit, "caution")
        reasons.append(Reason("agency_consumer"))
    if facts.debtor_kind == "public":
        fit = _worst(fit, "caution")
        reasons.append(Reason("public_buyer"))
    return fit, reasons, "§10 (CPCE R124-4), §3 (CPCE L111-8)"


def _claim_declaration(facts):
    if not facts.insolvency_date:
        return "no", [Reason("not_insolvent")], "§12 (insolvency)"
    return (
        "yes",
        [Reason("declare_claims", (("date", facts.insolvency_date),))],
        "§12 (insolvency); Code de commerce L622-24, R622-24",
    )


def _european_order(facts):
    source = "§12 (debtor abroad); Reg. 1896/2006, CPC 1424-1 et seq."
    if not _abroad(facts):
        return "no", [Reason("debtor_in_france")], source
    if facts.debtor_country.upper() not in EUROPEAN_ORDER_STATES:
        return "no", [Reason("outside_eu", (("country", facts.debtor_country.upper()),))], source
    fit, reasons = _dispute(facts, "caution", "caution")
    return fit, [Reason("european_order", (("country", facts.debtor_country.upper()),)), *reasons], source


def _administrative(facts):
    source = "§12 (public buyers); CJA R541-1"
    if facts.debtor_kind != "public":
        return "no", [Reason("not_public")], source
    fit, reasons = _dispute(facts, "caution", "caution")
    return fit, [Reason("administrative_referee"), *reasons], source


_RULES = {
    "injonction": _injonction,
    "refere_provision": _refere_provision,
    "assignation": _assignation,
    "saisie_conservatoire": _saisie_conservatoire,
    "petites_creances": _petites_creances,
    "commissaire_justice": _commissaire_justice,
    "collection_agency": _collection_agency,
    "claim_declaration": _claim_declaration,
    "european_order": _european_order,
    "administrative": _administrative,
}

_AUTHORITY = {
    "injonction": lambda facts: _court_of(facts.debtor_kind),
    "refere_provision": lambda facts: _court_of(facts.debtor_kind),
    "assignation": lambda facts: "lawyer_abroad" if _abroad(facts) else _court_of(facts.debtor_kind),
    "saisie_conservatoire": lambda facts: "juge_execution",
    "petites_creances": lambda facts: "commissaire_justice",
    "commissaire_justice": lambda facts: "commissaire_justice",
    "collection_agency": lambda facts: "collection_agency",
    "claim_declaration": lambda facts: "mandataire",
    "european_order": lambda facts: "court_abroad",
    "administrative": lambda facts: "administrative",
}
