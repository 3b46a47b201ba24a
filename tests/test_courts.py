"""The competent court from the court list, and the other routes: petites créances and déclaration de créance."""

import io
import zipfile
from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_injonction import EXPORT_DAY, InjonctionCase, decimal_fr, french_csv, pdf_text


@tagged("post_install", "-at_install")
class TestCourts(InjonctionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Court = cls.env["l10n_fr_dunning.court"]
        cls.Wizard = cls.env["l10n_fr_dunning.injonction.wizard"]

    def court(self, key):
        return self.env.ref(f"l10n_fr_dunning.court_{key}")

    def debtor(self, kind, zip_code, city, country="base.fr"):
        return self.env["res.partner"].create(
            {
                "name": f"Débiteur {kind} {city}",
                "is_company": kind != "consumer",
                "street": "1 rue de la Gare",
                "zip": zip_code,
                "city": city,
                "country_id": self.env.ref(country).id,
                "dunning_debtor_kind": kind,
            }
        )

    def test_competent_court_per_commune_and_debtor_kind(self):
        """Commercial professionals go to the TC or TAE of their commune's ressort, every other debtor to the TJ."""
        communes = [
            ("69002", "Lyon", "base.fr", "tae_lyon", "tj_lyon"),
            ("13008", "Marseille", "base.fr", "tae_marseille", "tj_marseille"),
            # Split départements: the court of the ressort, not of the city's name.
            ("92100", "Boulogne-Billancourt", "base.fr", "tae_nanterre", "tj_nanterre"),
            ("69100", "Villeurbanne", "base.fr", "tae_lyon", "tj_lyon"),
            # Overseas: the tribunal mixte de commerce, whether the address says France or Martinique.
            ("97200", "Fort-de-France", "base.fr", "tmc_fort_de_france", "tj_fort_de_france"),
            ("97200", "Fort-de-France", "base.mq", "tmc_fort_de_france", "tj_fort_de_france"),
            ("97490", "Saint-Denis", "base.re", "tmc_saint_denis_reunion", "tj_saint_denis_reunion"),
            # A TAE pilot court (Saint-Brieuc, not Saint-Nazaire).
            ("22000", "Saint-Brieuc", "base.fr", "tae_saint_brieuc", "tj_saint_brieuc"),
        ]
        for zip_code, city, country, commercial_court, civil_court in communes:
            for kind in ("commercial", "professional", "consumer", "non_professional"):
                with self.subTest(city=city, country=country, kind=kind):
                    wizard = self.Wizard.create({"partner_id": self.debtor(kind, zip_code, city, country).id})
                    expected = self.court(commercial_court if kind == "commercial" else civil_court)
                    self.assertEqual(wizard.court_id, expected)
                    self.assertEqual(wizard.court_name, expected.name)
        boulogne = self.Wizard.create({"partner_id": self.debtor("commercial", "92100", "Boulogne-Billancourt").id})
        self.assertEqual(boulogne.court_name, "Tribunal des activités économiques de Nanterre")
        self.assertEqual(boulogne.court_address, "4 rue Pablo Neruda\n92020 Nanterre Cedex")
        public = self.Wizard.create({"partner_id": self.debtor("public", "69002", "Lyon").id})
        self.assertIn(
            "is a public buyer: an injonction de payer cannot be filed against it", public.missing_prerequisites
        )
        self.assertIn("R541-1", public.missing_prerequisites)

    def test_tae_pilot_courts(self):
        """The 12 TAE of décret 2024-674 / arrêté of 5 July 2024."""
        pilots = self.Court.search([("kind", "=", "tae")])
        cities = sorted(name.removeprefix("Tribunal des activités économiques ") for name in pilots.mapped("name"))
        self.assertEqual(
            cities,
            [
                "d'Auxerre",
                "d'Avignon",
                "de Limoges",
                "de Lyon",
                "de Marseille",
                "de Nancy",
                "de Nanterre",
                "de Paris",
                "de Saint-Brieuc",
                "de Versailles",
                "du Havre",
                "du Mans",
            ],
        )

    def test_postal_code_shared_by_two_ressorts(self):
        """Two communes of one postal code in two ressorts: the user picks; the city name narrows it when it can."""
        north, south = self.Court.create(
            [
                {"name": "Tribunal judiciaire du Nord (test)", "kind": "judiciaire", "address": "1 place Nord"},
                {"name": "Tribunal judiciaire du Sud (test)", "kind": "judiciaire", "address": "1 place Sud"},
            ]
        )
        self.env["l10n_fr_dunning.court.commune"].create(
            [
                {"court_id": north.id, "insee_code": "98001", "postcode": "98100", "name": "Amont-le-Haut"},
                {"court_id": south.id, "insee_code": "98002", "postcode": "98100", "name": "Aval-le-Bas"},
            ]
        )
        wizard = self.Wizard.create({"partner_id": self.debtor("consumer", "98100", "Lieu-dit inconnu").id})
        self.assertFalse(wizard.court_id)
        self.assertEqual(wizard.court_candidate_ids, north | south)
        self.assertIn(
            "The postal code 98100 is shared by several courts' ressorts: choose the court",
            wizard.missing_prerequisites,
        )
        wizard.court_id = south
        self.assertEqual(
            (wizard.court_name, wizard.court_address), ("Tribunal judiciaire du Sud (test)", "1 place Sud")
        )
        self.assertNotIn("ressorts", wizard.missing_prerequisites or "")
        named = self.Wizard.create({"partner_id": self.debtor("consumer", "98100", "AMONT LE HAUT").id})
        self.assertEqual(named.court_id, north)

    def test_debtor_abroad_or_unknown_commune(self):
        """No French court for a debtor abroad: the route is named, no court is made up from the city."""
        cases = [
            (
                self.debtor("consumer", "1000", "Bruxelles", "base.be"),
                "is in Belgium: a French court cannot issue an injonction de payer against it. Use the European order "
                "for payment (regulation (EC) 1896/2006",
            ),
            (
                self.debtor("commercial", "1201", "Genève", "base.ch"),
                "is in Switzerland, outside the European Union: sue before the courts of that country",
            ),
            (
                self.debtor("commercial", "01000", "Bourg-en-Bresse"),
                "No court found for this commune (01000 Bourg-en-Bresse) in the court list: choose the competent court",
            ),
        ]
        for partner, expected in cases:
            with self.subTest(partner.city):
                wizard = self.Wizard.create({"partner_id": partner.id})
                self.assertFalse(wizard.court_id)
                self.assertIn(expected, wizard.missing_prerequisites)
                # The user picks among every court of the kind: none is guessed, none is made up from the city.
                commercial = partner.dunning_debtor_kind == "commercial"
                kinds = ("commerce", "tae") if commercial else ("judiciaire", "proximite")
                self.assertEqual(wizard.court_candidate_ids, self.Court.search([("kind", "in", kinds)]))
        self.assertFalse(self.Court.search([("name", "ilike", "Bruxelles")]))

    def test_economic_justice_contribution_warning_before_a_tae(self):
        """Over 50,000 € before a TAE: a warning to check the contribution (loi 2023-1059 art. 27); not before a TC."""
        bordeaux = self.customer_pro.copy({"zip": "33000", "city": "Bordeaux"})
        for partner, court, warned in ((self.customer_pro, "tae_lyon", True), (bordeaux, "tc_bordeaux", False)):
            with self.subTest(court):
                invoice = self.make_invoice(partner, 50000, "2025-03-01", "2025-03-31")
                with freeze_time(EXPORT_DAY):
                    wizard = self.wizard(invoice)
                    self.assertEqual(wizard.court_id, self.court(court))
                    self.assertEqual("contribution pour la justice économique" in (wizard.warnings or ""), warned)

    def test_managers_correct_courts_users_read_them(self):
        court = self.court("tj_lyon")
        user = self.make_user("dunning.user", "l10n_fr_dunning.group_dunning_user")
        manager = self.make_user("dunning.manager", "l10n_fr_dunning.group_dunning_manager")
        self.assertEqual(court.with_user(user).address, "67 rue Servient\n69433 Lyon Cedex 03")
        with self.assertRaises(AccessError):
            court.with_user(user).address = "Ailleurs"
        court.with_user(manager).write({"address": "67 rue Servient\n69003 Lyon"})
        court.with_user(manager).commune_ids = [
            (0, 0, {"insee_code": "69256", "postcode": "69120", "name": "Vaulx-en-Velin"})
        ]
        wizard = self.Wizard.create({"partner_id": self.debtor("consumer", "69120", "Vaulx-en-Velin").id})
        self.assertEqual((wizard.court_id, wizard.court_address), (court, "67 rue Servient\n69003 Lyon"))

    def test_court_corrected_later_does_not_change_the_file(self):
        """A manager corrects the court; the court file keeps the name and address it printed."""
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        court_file, _archive = self.export(invoice)
        court = self.court("tae_lyon")
        court.write({"name": "Tribunal des activités économiques de Lyon (renamed)", "address": "Ailleurs"})
        self.assertEqual(court_file.court_id, court)
        self.assertEqual(court_file.court_name, "Tribunal des activités économiques de Lyon")
        self.assertEqual(court_file.court_address, "44 rue de Bonnel\n69433 Lyon Cedex 03")

    # ---- The other routes ----------------------------------------------------------------------------------

    def test_small_claim_export(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        bailiff = self.env["res.partner"].create(
            {"name": "Maître Claire Huissier", "street": "5 place Bellecour", "zip": "69002", "city": "Lyon"}
        )
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(invoice, procedure="small_claim")
            self.assertIn("Choose the commissaire de justice", wizard.missing_prerequisites)
            wizard.bailiff_id = bailiff
            self.assertFalse(wizard.missing_prerequisites)
            court_file = self.CourtFile.browse(wizard.action_export()["res_id"])
        archive = zipfile.ZipFile(io.BytesIO(court_file.zip_attachment_id.raw))
        stem = invoice.name.replace("/", "-")
        self.assertEqual(
            archive.namelist(),
            [
                "demande-petites-creances.pdf",
                "bordereau-des-pieces.pdf",
                f"Piece-01-Facture-{stem}.pdf",
                "Piece-02-Mise-en-demeure-2025-05-15.pdf",
                "Piece-03-Preuve-de-depot-LRAR.pdf",
                "Piece-04-Avis-de-reception-LRAR.jpg",
                "Piece-05-Historique-des-relances.pdf",
                "Piece-06-Releve-de-compte.pdf",
                "decompte.csv",
            ],
        )
        # 1,200.00 € TTC due 31/03/2025; penalties at ECB 3.15 % + 10 = 13.15 % from 01/04 to 10/06/2025, 71 days:
        # 1,200 × 13.15 % × 71 / 365 = 30.695… → 30.70 €; plus 40 €.
        breakdown = invoice._dunning_interest_breakdown(date(2025, 6, 10))
        self.assertEqual(breakdown.total, Decimal("30.70"))
        self.assertEqual(
            (
                court_file.procedure,
                court_file.amount_principal,
                court_file.amount_interest,
                court_file.amount_indemnity,
                court_file.amount_total,
            ),
            ("small_claim", 1200.0, 30.70, 40.0, 1270.70),
        )
        self.assertEqual(
            (court_file.court_name, court_file.court_address, court_file.court_id.id),
            ("Maître Claire Huissier", "5 place Bellecour\n69002 Lyon", False),
        )
        self.assertIn("commissaire de justice", court_file.next_step)
        rows = french_csv(archive.read("decompte.csv"))
        self.assertEqual(sum(decimal_fr(row["Montant"]) for row in rows), Decimal("1270.70"))
        letter = pdf_text(archive.read("demande-petites-creances.pdf"))
        for mention in (
            "Demande de recouvrement d'une petite créance",
            "Maître Claire Huissier",
            "5 place Bellecour",
            "L125-1",
            "R125-1",
            "1 270,70 €",
            "Atelier Dupont, SAS",
            "SIREN 542 051 180",
            "Pièce n° 1",
            "Pièce n° 6",
            f"Piece-01-Facture-{stem}.pdf",
        ):
            self.assertIn(mention, letter)
        self.assertIn(
            "Demande de recouvrement d'une petite créance adressée à Maître Claire Huissier",
            pdf_text(archive.read("bordereau-des-pieces.pdf")),
        )

    def test_small_claim_limited_to_5000(self):
        large = self.make_invoice(self.customer_pro, 5000, "2025-03-01", "2025-03-31")
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(large, procedure="small_claim")
            self.assertIn("limited to 5,000 € in principal and interest", wizard.missing_prerequisites)

    def test_claim_declaration_export(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        mandataire = self.env["res.partner"].create(
            {"name": "SELARL MJ Rhône", "street": "10 rue de la République", "zip": "69002", "city": "Lyon"}
        )
        self.customer_pro.write(
            {
                "dunning_insolvent": True,
                "dunning_insolvency_date": "2025-06-02",
                "dunning_bodacc_date": "2025-06-05",
                "dunning_mandataire_id": mandataire.id,
            }
        )
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(invoice)
            self.assertEqual(wizard.procedure, "claim_declaration")
            self.assertFalse(wizard.missing_prerequisites)
            court_file = self.CourtFile.browse(wizard.action_export()["res_id"])
        archive = zipfile.ZipFile(io.BytesIO(court_file.zip_attachment_id.raw))
        self.assertEqual(
            archive.namelist()[:3],
            [
                "declaration-de-creance.pdf",
                "bordereau-des-pieces.pdf",
                f"Piece-01-Facture-{invoice.name.replace('/', '-')}.pdf",
            ],
        )
        self.assertEqual(archive.namelist()[-1], "decompte.csv")
        self.assertEqual([document.number for document in court_file.document_ids], list(range(1, 7)))
        # Interest stops the day before the opening judgment (L622-28): 01/04 to 01/06/2025, 62 days:
        # 1,200 × 13.15 % × 62 / 365 = 26.804… → 26.80 €; the 40 € stays (already late at the opening).
        claim = self.customer_pro._dunning_claim_declaration_lines(self.company)[0]
        self.assertEqual((claim["principal"], claim["interest"], claim["indemnity"]), (1200.0, 26.80, 40.0))
        self.assertEqual(
            (
                court_file.amount_principal,
                court_file.amount_interest,
                court_file.amount_indemnity,
                court_file.amount_total,
            ),
            (1200.0, 26.80, 40.0, 1266.80),
        )
        self.assertEqual(
            (court_file.court_name, court_file.court_address),
            ("SELARL MJ Rhône", "10 rue de la République\n69002 Lyon"),
        )
        self.assertEqual(court_file.deadline, date(2025, 8, 5), "2 months from the BODACC publication")
        rows = french_csv(archive.read("decompte.csv"))
        self.assertEqual(sum(decimal_fr(row["Montant"]) for row in rows), Decimal("1266.80"))
        declaration = pdf_text(archive.read("declaration-de-creance.pdf"))
        for mention in ("Déclaration de créance", "SELARL MJ Rhône", "L622-24", "1 266,80"):
            self.assertIn(mention, declaration)

    def test_claim_declaration_needs_proceedings_and_mandataire(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(invoice, procedure="claim_declaration")
            self.assertIn("has no insolvency proceedings recorded", wizard.missing_prerequisites)
            self.customer_pro.write({"dunning_insolvent": True, "dunning_insolvency_date": "2025-06-02"})
            wizard = self.wizard(invoice)
            self.assertIn("Enter the mandataire judiciaire of Boulangerie Martin SARL", wizard.missing_prerequisites)
