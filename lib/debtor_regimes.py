"""What each kind of debtor owes and how it is addressed, as data (no Odoo import).

Every difference between debtors (interest, the 40 €, the wording of the texts, the court route, the
prescription) follows from the debtor kind of the commercial partner: models ask ``regime_of(kind)`` and
read its attributes instead of testing kinds in many places.
"""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class DebtorRegime:
    kind: str
    interest: str
    """'commercial': ECB + 10 re-read each semester from the due date (Code de commerce L441-10 II);
    'public': ECB of the first semester + 8, fixed (Code de la commande publique R2192-31);
    'legal': taux légal from the receipt of the mise en demeure (Code civil 1231-6, 1344-1)."""
    owes_recovery_indemnity: bool
    """40 € per late invoice (Code de commerce D441-5; Code de la commande publique L2192-13)."""
    contractual_rate_applies: bool
    """A contractual penalty rate replaces the statutory one (L441-10 II); public rates are set by decree."""
    court: str
    """'commerce' (tribunal de commerce / TAE, Code de commerce L721-3), 'judiciaire', or 'administrative'
    (no injonction de payer: référé-provision, CJA R541-1)."""
    text_variant: str
    """'professional', 'consumer' (no Code de commerce, no 40 €, CPCE L111-8) or 'public'."""
    prescription_years: int
    prescription_basis: str
    prescription_from_next_year: bool = False
    """The déchéance quadriennale runs from 1 January of the year after the claim arose (loi 68-1250)."""


COMMERCIAL = DebtorRegime(
    "commercial", "commercial", True, True, "commerce", "professional", 5, "Code de commerce L110-4"
)
OTHER_PROFESSIONAL = DebtorRegime(
    "professional",
    "commercial",
    True,
    True,
    "judiciaire",
    "professional",
    5,
    "Code de commerce L110-4, Code civil 2224",
)
CONSUMER = DebtorRegime(
    "consumer", "legal", False, False, "judiciaire", "consumer", 2, "Code de la consommation L218-2"
)
NON_PROFESSIONAL = DebtorRegime(
    "non_professional", "legal", False, False, "judiciaire", "consumer", 5, "Code civil 2224"
)
PUBLIC_BUYER = DebtorRegime(
    "public",
    "public",
    True,
    False,
    "administrative",
    "public",
    4,
    "loi n° 68-1250 du 31 décembre 1968, art. 1",
    prescription_from_next_year=True,
)

REGIMES = {regime.kind: regime for regime in (COMMERCIAL, OTHER_PROFESSIONAL, CONSUMER, NON_PROFESSIONAL, PUBLIC_BUYER)}

DEBTOR_KINDS = [
    ("commercial", "Commercial professional"),
    ("professional", "Other professional"),
    ("consumer", "Consumer"),
    ("non_professional", "Non-professional"),
    ("public", "Public buyer"),
]

# Legal forms read from the partner's legal form field (upper-case, accents stripped by the caller).
_CIVIL_FORMS = re.compile(
    r"\b(SCI|SCP|SCM|SCEA|SCPI|GAEC|EARL|GFA|GFR|SELARL|SELAS|SELAFA|SELCA|SELEURL|SELASU|"
    r"SOCIETE CIVILE|ASSOCIATION|FONDATION|SYNDICAT|PROFESSION LIBERALE)\b"
)
_PUBLIC_FORMS = re.compile(
    r"\b(COMMUNE|MAIRIE|DEPARTEMENT|REGION|EPCI|ETAT|MINISTERE|PREFECTURE|ETABLISSEMENT PUBLIC|EPA|EPIC|"
    r"CENTRE HOSPITALIER|CHU|HOPITAL|COMMUNAUTE DE COMMUNES|COMMUNAUTE D'AGGLOMERATION|METROPOLE|"
    r"SYNDICAT MIXTE|COLLECTIVITE)\b"
)


def regime_of(kind):
    """The regime of a debtor kind; an unknown or empty kind is a commercial professional."""
    return REGIMES.get(kind or "commercial", COMMERCIAL)


def default_debtor_kind(is_company, legal_form="", siren=""):
    """The debtor kind Odoo's data suggests; the user may change it.

    A person is a consumer. A company is a public buyer when its legal form says so or its SIREN starts with
    1 or 2 (INSEE numbers public-law persons so), another professional when its form is civil (SCI, SCP,
    SEL…, association: tribunal judiciaire), else a commercial professional (Code de commerce L721-3).
    """
    if not is_company:
        return "consumer"
    form = unicodedata.normalize("NFKD", legal_form or "").encode("ascii", "ignore").decode().upper()
    digits = re.sub(r"\D", "", siren or "")
    if _PUBLIC_FORMS.search(form) or (len(digits) in (9, 14) and digits[0] in "12"):
        return "public"
    if _CIVIL_FORMS.search(form):
        return "professional"
    return "commercial"
