import logging

from stdnum.fr import siren

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

COMPANY_SIREN = "891162950"
COMPANY_SIRET = "89116295000010"
COMPANY_IBAN = "FR7630006000011234567890189"

# Each customer of the demo, at one stage of the dunning relative to today.
#   invoices: "due" is the number of days from today to the due date (negative: overdue), "lines" are
#       (label, quantity, unit price excluding VAT); optional "dispute" reason, "promise_in_days" (with
#       "from_portal": made by the customer on its reminder's page), and
#       "payment": (amount, or None for the whole balance; days from today); "past_promise": (days from today it
#       was made, days from today of the promised date) for the whole balance, kept or broken by the payments;
#   history: past reminders (level xml id, days from today), each sent on its date;
#   formal_notice: the registered letter of the past mise en demeure (tracking number, days from posting to receipt).
DEMO_CUSTOMERS = [
    # 1re relance due.
    {
        "key": "dupont",
        "partner": {
            "name": "Boulangerie Dupont",
            "is_company": True,
            "dunning_legal_form": "SARL",
            "company_registry": "817467640",
            "street": "3 rue des Lilas",
            "zip": "69003",
            "city": "Lyon",
            "email": "compta@boulangerie-dupont.example",
            "phone": "+33 4 65 71 23 45",
        },
        "invoices": [
            {
                "due": -3,
                "lines": [
                    ("Installation éclairage LED – fournil et boutique", 1, 2450.0),
                    ("Fourniture de réglettes LED étanches IP65", 8, 64.0),
                ],
            },
            {"due": 20, "lines": [("Maintenance annuelle – contrat d'entretien", 1, 480.0)]},
        ],
    },
    # 2e relance due, reminders go to the accounting department (invoice address).
    {
        "key": "tilleuls",
        "partner": {
            "name": "Hôtel Les Tilleuls",
            "is_company": True,
            "dunning_legal_form": "SAS",
            "company_registry": "434754685",
            "street": "27 cours de l'Intendance",
            "zip": "33000",
            "city": "Bordeaux",
            "email": "direction@hotel-tilleuls.example",
            "phone": "+33 5 36 49 10 20",
            "child_ids": [
                Command.create(
                    {
                        "type": "invoice",
                        "name": "Service comptabilité",
                        "email": "comptabilite@hotel-tilleuls.example",
                        "street": "27 cours de l'Intendance",
                        "zip": "33000",
                        "city": "Bordeaux",
                    }
                )
            ],
        },
        "invoices": [
            {
                "due": -18,
                "lines": [
                    ("Mise en lumière du hall d'accueil", 1, 3900.0),
                    ("Appliques murales laiton – couloirs", 14, 118.0),
                ],
            },
        ],
        "history": [("level_first", -17)],
    },
    # 3e relance due (phone call).
    {
        "key": "moreau",
        "partner": {
            "name": "Cabinet Moreau Architectes",
            "is_company": True,
            "dunning_legal_form": "SARL",
            "company_registry": "847177888",
            "street": "42 rue du Faubourg Saint-Antoine",
            "zip": "75011",
            "city": "Paris",
            "email": "administratif@moreau-architectes.example",
            "phone": "+33 1 99 00 42 17",
        },
        "invoices": [
            {
                "due": -35,
                "lines": [
                    ("Étude d'éclairage – plan lumière des bureaux", 1, 1850.0),
                    ("Relevé photométrique sur site", 1, 420.0),
                ],
                "past_promise": (-30, -22),
            },
        ],
        "history": [("level_first", -34), ("level_second", -20)],
    },
    # Mise en demeure due.
    {
        "key": "vieuxport",
        "partner": {
            "name": "Brasserie du Vieux-Port",
            "is_company": True,
            "dunning_legal_form": "SAS",
            "company_registry": "736519083",
            "street": "12 quai du Port",
            "zip": "13002",
            "city": "Marseille",
            "email": "gestion@brasserie-vieuxport.example",
            "phone": "+33 4 65 71 88 02",
        },
        "invoices": [
            {
                "due": -50,
                "lines": [
                    ("Rénovation de l'éclairage de la salle et de la terrasse", 1, 6800.0),
                    ("Suspensions verre soufflé", 12, 245.0),
                    ("Déplacement et main-d'œuvre", 16, 55.0),
                ],
            },
            {"due": -42, "lines": [("Dépannage – intervention d'urgence un dimanche", 1, 390.0)]},
        ],
        "history": [("level_first", -49), ("level_second", -35), ("level_third", -20)],
    },
    # Contentieux due, after a mise en demeure received and left unpaid.
    {
        "key": "lefevre",
        "partner": {
            "name": "Garage Lefèvre",
            "is_company": True,
            "dunning_legal_form": "EURL",
            "company_registry": "451415160",
            "street": "88 rue Nationale",
            "zip": "59000",
            "city": "Lille",
            "email": "contact@garage-lefevre.example",
            "phone": "+33 3 53 01 66 40",
        },
        "invoices": [
            {
                "due": -75,
                "lines": [
                    ("Éclairage LED de l'atelier mécanique", 1, 7200.0),
                    ("Projecteurs extérieurs avec détecteur", 6, 310.0),
                ],
            },
        ],
        "history": [("level_first", -74), ("level_second", -60), ("level_third", -45), ("level_formal_notice", -25)],
        "formal_notice": ("1A04281735694", 2),
    },
    # Disputed invoice.
    {
        "key": "rhenane",
        "partner": {
            "name": "Imprimerie Rhénane",
            "is_company": True,
            "dunning_legal_form": "SA",
            "company_registry": "712994144",
            "street": "5 rue des Grandes Arcades",
            "zip": "67000",
            "city": "Strasbourg",
            "email": "fournisseurs@imprimerie-rhenane.example",
            "phone": "+33 3 53 01 12 90",
        },
        "invoices": [
            {
                "due": -30,
                "lines": [
                    ("Remplacement de dalles LED 600×600", 40, 89.0),
                    ("Pose et recyclage des anciens tubes", 1, 650.0),
                ],
                "dispute": "Livraison incomplète : six dalles manquantes selon le client",
            },
        ],
        "history": [("level_first", -29)],
    },
    # Promise to pay.
    {
        "key": "tabledanne",
        "partner": {
            "name": "Restaurant La Table d'Anne",
            "is_company": True,
            "dunning_legal_form": "EURL",
            "company_registry": "847896420",
            "street": "9 rue des Filatiers",
            "zip": "31000",
            "city": "Toulouse",
            "email": "anne@latabledanne.example",
            "phone": "+33 5 36 49 71 33",
        },
        "invoices": [
            {
                "due": -20,
                "lines": [("Éclairage de vitrine sur rail", 1, 1280.0)],
                "promise_in_days": 7,
                "from_portal": True,
            },
        ],
        "history": [("level_first", -19)],
    },
    # Insolvency proceedings (redressement judiciaire) opened 60 days ago: the invoice born before it is declared,
    # not chased (its interest stops at the judgment, its 40 € stays: it was already late); the one born after it
    # is chased as usual (3e relance due).
    {
        "key": "bernard",
        "partner": {
            "name": "Transports Bernard",
            "is_company": True,
            "dunning_legal_form": "SAS",
            "company_registry": "899001374",
            "street": "14 boulevard de la Prairie-au-Duc",
            "zip": "44200",
            "city": "Nantes",
            "email": "comptabilite@transports-bernard.example",
            "phone": "+33 2 61 91 45 08",
            "dunning_insolvent": True,
            "dunning_insolvency_days": -60,
            "dunning_bodacc_days": -45,
        },
        "invoices": [
            {"due": -65, "lines": [("Rénovation éclairage parking et quais de chargement", 1, 9600.0)]},
            {"due": -45, "invoice_days": -55, "lines": [("Dépannage de l'éclairage des quais", 1, 780.0)]},
        ],
        "history": [("level_first", -44), ("level_second", -30)],
    },
    # Excluded from dunning.
    {
        "key": "parc",
        "partner": {
            "name": "Société Immobilière du Parc",
            "is_company": True,
            "dunning_legal_form": "SA",
            "company_registry": "432403517",
            "street": "60 avenue Jean-Médecin",
            "zip": "06000",
            "city": "Nice",
            "email": "syndic@immobiliere-du-parc.example",
            "phone": "+33 4 65 71 50 60",
            "dunning_excluded": True,
            "dunning_pause_reason": "Grand compte : échéancier négocié par la direction",
        },
        "invoices": [
            {
                "due": -25,
                "lines": [
                    ("Éclairage des parties communes – 3 résidences", 1, 8900.0),
                    ("Minuteries et détecteurs de présence", 24, 42.0),
                ],
            },
        ],
    },
    # Paid after a first reminder.
    {
        "key": "librairie",
        "partner": {
            "name": "Librairie des Quais",
            "is_company": True,
            "dunning_legal_form": "EURL",
            "company_registry": "489129247",
            "street": "7 rue Sainte-Catherine",
            "zip": "33000",
            "city": "Bordeaux",
            "email": "librairie@desquais.example",
            "phone": "+33 5 36 49 32 11",
        },
        "invoices": [
            {
                "due": -40,
                "lines": [("Spots orientables pour rayonnages", 18, 39.0)],
                "past_promise": (-38, -36),
                "payment": (None, -36),
            },
        ],
        "history": [("level_first", -39)],
    },
    # Not yet due.
    {
        "key": "fleurs",
        "partner": {
            "name": "Fleurs et Jardins",
            "is_company": True,
            "dunning_legal_form": "SARL",
            "company_registry": "830839031",
            "street": "21 place Broglie",
            "zip": "67000",
            "city": "Strasbourg",
            "email": "boutique@fleurs-et-jardins.example",
            "phone": "+33 3 53 01 74 25",
        },
        "invoices": [
            {"due": 15, "lines": [("Éclairage horticole de la serre", 1, 3150.0)]},
        ],
    },
    # Partially paid, 1re relance due on the balance.
    {
        "key": "rousseau",
        "partner": {
            "name": "Claire Rousseau",
            "is_company": False,
            "street": "15 rue Oberkampf",
            "zip": "75011",
            "city": "Paris",
            "email": "claire.rousseau@courriel.example",
            "phone": "+33 6 39 98 12 34",
        },
        "invoices": [
            {
                "due": -10,
                "lines": [
                    ("Pose de luminaires dans un appartement", 1, 950.0),
                    ("Fourniture de spots encastrés", 10, 28.0),
                ],
                "payment": (600.0, -4),
            },
        ],
    },
    # 1re relance due to a consumer without email: the reminder fails.
    {
        "key": "lambert",
        "partner": {
            "name": "Marc Lambert",
            "is_company": False,
            "street": "4 rue de la Monnaie",
            "zip": "59800",
            "city": "Lille",
            "phone": "+33 6 39 98 45 67",
        },
        "invoices": [
            {"due": -6, "lines": [("Dépannage – remplacement d'un variateur", 1, 155.0)]},
        ],
    },
    # A public buyer (commune): intérêts moratoires at ECB + 8 and the 40 €, mise en demeure due.
    {
        "key": "mairie",
        "partner": {
            "name": "Commune de Villeurbanne",
            "is_company": True,
            "dunning_legal_form": "Commune",
            "company_registry": "216903542",
            "street": "Place Lazare-Goujon",
            "zip": "69100",
            "city": "Villeurbanne",
            "email": "finances@mairie-villeurbanne.example",
            "phone": "+33 4 65 71 96 00",
        },
        "invoices": [
            {"due": -50, "lines": [("Illuminations de la place de la mairie", 1, 5400.0)]},
        ],
        "history": [("level_first", -49), ("level_second", -35), ("level_third", -20)],
    },
    # A consumer at the mise en demeure: legal interest only from its receipt, no 40 €.
    {
        "key": "garnier",
        "partner": {
            "name": "Sophie Garnier",
            "is_company": False,
            "street": "7 rue Juiverie",
            "zip": "69005",
            "city": "Lyon",
            "email": "sophie.garnier@courriel.example",
            "phone": "+33 6 39 98 20 51",
        },
        "invoices": [
            {"due": -50, "lines": [("Rénovation de l'éclairage d'une maison", 1, 2300.0)]},
        ],
        "history": [("level_first", -49), ("level_second", -35), ("level_third", -20)],
    },
    # An invoice in two instalments (50 % at 30 days, 50 % at 60 days): each is late from its own date; the
    # first one, 70 days late, brings the mise en demeure.
    {
        "key": "giraud",
        "partner": {
            "name": "Menuiserie Giraud",
            "is_company": True,
            "dunning_legal_form": "SARL",
            "company_registry": "412345670",
            "street": "2 rue du Moulin",
            "zip": "38000",
            "city": "Grenoble",
            "email": "compta@menuiserie-giraud.example",
            "phone": "+33 4 65 71 62 10",
        },
        "invoices": [
            {
                "invoice_days": -100,
                "payment_term": "half_30_60",
                "lines": [("Éclairage de l'atelier et de la salle d'exposition", 1, 4800.0)],
            },
        ],
        "history": [("level_first", -69), ("level_second", -55), ("level_third", -39)],
    },
    # A payment plan running after the 2e relance: its first instalment paid, dunning paused.
    {
        "key": "verrier",
        "partner": {
            "name": "Cave Verrier",
            "is_company": True,
            "dunning_legal_form": "SARL",
            "company_registry": "512345679",
            "street": "5 place du Marché",
            "zip": "71100",
            "city": "Chalon-sur-Saône",
            "email": "compta@cave-verrier.example",
            "phone": "+33 3 85 41 22 10",
        },
        "invoices": [{"due": -50, "lines": [("Éclairage du caveau de dégustation", 1, 1500.0)]}],
        "history": [("level_first", -49), ("level_second", -35)],
        "plan": {"accepted": -30, "first": -20, "count": 3, "paid": [-20]},
    },
    # A payment plan broken: its second instalment missed, the 2e relance goes out again recalling the plan.
    {
        "key": "chevalier",
        "partner": {
            "name": "Fromagerie Chevalier",
            "is_company": True,
            "dunning_legal_form": "SAS",
            "company_registry": "798123451",
            "street": "11 rue Grande",
            "zip": "73000",
            "city": "Chambéry",
            "email": "compta@fromagerie-chevalier.example",
            "phone": "+33 4 79 33 18 60",
        },
        "invoices": [{"due": -80, "lines": [("Éclairage des caves d'affinage", 1, 2000.0)]}],
        "history": [("level_first", -79), ("level_second", -65)],
        "plan": {"accepted": -60, "first": -45, "count": 3, "paid": [-45]},
    },
    # Not yet due.
    {
        "key": "petit",
        "partner": {
            "name": "Julien Petit",
            "is_company": False,
            "street": "33 rue de la Croix-Rousse",
            "zip": "69004",
            "city": "Lyon",
            "email": "julien.petit@courriel.example",
            "phone": "+33 6 39 98 77 01",
        },
        "invoices": [
            {"due": 5, "lines": [("Éclairage extérieur de jardin", 1, 1340.0)]},
        ],
    },
    # A key account (its own policy): a fortnight more at each step, its emails checked by a person; its first
    # reminder is due and waits to be sent.
    {
        "key": "hotel",
        "policy": "policy_key_account",
        "partner": {
            "name": "Grand Hôtel Bellecour",
            "is_company": True,
            "dunning_legal_form": "SAS",
            "company_registry": "552100554",
            "street": "20 place Bellecour",
            "zip": "69002",
            "city": "Lyon",
            "email": "fournisseurs@grandhotel-bellecour.example",
            "phone": "+33 4 65 71 20 20",
        },
        "invoices": [
            {"due": -20, "lines": [("Éclairage des salons de réception", 1, 12400.0)]},
        ],
    },
]


class DunningDemo(models.AbstractModel):
    """French demo data: a French main company and customers at every stage of the dunning ladder."""

    _name = "l10n_fr_dunning.demo"
    _description = "Dunning demo data"

    @api.model
    def _create_demo_data(self):
        """Make the main company French and create the demo customers, invoices and past reminders (once)."""
        if self.env.ref("l10n_fr_dunning.demo_customer_dupont", raise_if_not_found=False):
            return
        company = self.env.ref("base.main_company")
        self._demo_make_company_french(company)
        if not self.pool.ready:
            # During an install the chart of accounts is only loaded once every module is (account's registry hook):
            # the invoices wait for it, in this model's registry hook.
            self.pool._l10n_fr_dunning_demo_pending = True
            return
        self._demo_create_customers_and_invoices(company)

    def _register_hook(self):
        super()._register_hook()
        if getattr(self.pool, "_l10n_fr_dunning_demo_pending", False):
            del self.pool._l10n_fr_dunning_demo_pending
            self._demo_create_customers_and_invoices(self.env.ref("base.main_company"))

    @api.model
    def _demo_make_company_french(self, company):
        france = self.env.ref("base.fr")
        euro = self.env.ref("base.EUR")
        values = {
            "name": "Atelier Lumière",
            "dunning_legal_form": "SAS",
            "street": "18 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "country_id": france.id,
            "phone": "+33 4 65 71 20 00",
            "email": "contact@atelier-lumiere.example",
            "website": "https://www.atelier-lumiere.example",
            "company_registry": COMPANY_SIREN,
            "vat": "FR" + siren.to_tva(COMPANY_SIREN),
            "dunning_user_id": self.env.ref("base.user_admin").id,
            "dunning_representative_name": self.env.ref("base.user_admin").name,
            "dunning_representative_title": "Président",
        }
        if "siret" in company._fields:
            values["siret"] = COMPANY_SIRET
        if company.currency_id != euro and not company._existing_accounting():
            euro.active = True
            values["currency_id"] = euro.id
        company.write(values)
        bank_account = self.env["res.partner.bank"].search([("acc_number", "=", COMPANY_IBAN)], limit=1)
        if not bank_account:
            self.env["res.partner.bank"].create({"acc_number": COMPANY_IBAN, "partner_id": company.partner_id.id})

    @api.model
    def _demo_load_french_chart(self, company):
        """The French chart when l10n_fr_account is there, unless real entries were made with another chart.

        In a demo database the generic chart and its demo entries are replaced, as Odoo does when a user
        changes the chart.
        """
        l10n_fr_account = self.env["ir.module.module"].search([("name", "=", "l10n_fr_account")])
        if (
            l10n_fr_account.state == "installed"
            and company.chart_template != "fr"
            and (self.env.ref("base.module_account").demo or not company._existing_accounting())
        ):
            self.env["account.chart.template"].try_loading("fr", company=company, install_demo=False)

    @api.model
    def _demo_accounting(self, company):
        """(sale journal, 20 % sale tax) of the company, or None when its chart of accounts lacks one."""
        self._demo_load_french_chart(company)
        journal = self.env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
        tax_domain = [
            ("company_id", "=", company.id),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
            ("amount", "=", 20),
            ("price_include", "=", False),
        ]
        tax = company.account_sale_tax_id.filtered_domain(tax_domain) or self.env["account.tax"].search(
            tax_domain, limit=1
        )
        receivable = self.env["account.account"].search_count(
            [
                ("company_ids", "in", company.id),
                ("account_type", "=", "asset_receivable"),
            ],
            limit=1,
        )
        if not (journal and tax and receivable):
            _logger.warning(
                "Dunning demo: %s has no sale journal, receivable account or 20 %% sale tax; no demo invoice created.",
                company.name,
            )
            return None
        bank_journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        if bank_journal and not bank_journal.bank_account_id:
            bank_journal.bank_account_id = company.partner_id.bank_ids.filtered(
                lambda bank: bank.acc_number == COMPANY_IBAN
            )[:1]
        return journal, tax

    @api.model
    def _demo_create_customers_and_invoices(self, company):
        today = fields.Date.context_today(self)
        customers = self._demo_create_customers(today)
        accounting = self._demo_accounting(company)
        if not accounting:
            return
        journal, tax = accounting
        invoices = self._demo_create_invoices(company, journal, tax, customers, today)
        self._demo_create_history(company, customers, invoices, today)
        self._demo_settle(invoices, today)
        self._demo_create_hand_over(company, customers["lefevre"])
        self._demo_create_payment_plans(company, customers, invoices, today)

    @api.model
    def _demo_create_customers(self, today):
        """{key: customer} of DEMO_CUSTOMERS, each with an xml id (l10n_fr_dunning.demo_customer_<key>)."""
        france = self.env.ref("base.fr")
        customers = {}
        for spec in DEMO_CUSTOMERS:
            values = dict(spec["partner"], country_id=france.id)
            for field_name in ("dunning_insolvency_date", "dunning_bodacc_date"):
                days = values.pop(field_name.replace("_date", "_days"), None)
                if days is not None:
                    values[field_name] = fields.Date.add(today, days=days)
            if values.get("company_registry"):
                values["vat"] = "FR" + siren.to_tva(values["company_registry"])
            if spec.get("policy"):
                values["dunning_policy_id"] = self.env.ref(f"l10n_fr_dunning.{spec['policy']}").id
            customers[spec["key"]] = self.env["res.partner"].create(values)
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"l10n_fr_dunning.demo_customer_{key}", "record": customer, "noupdate": True}
                for key, customer in customers.items()
            ]
        )
        return customers

    @api.model
    def _demo_create_invoices(self, company, journal, tax, customers, today):
        """[(customer spec, invoice spec, posted invoice)], posted in date order, invoiced 30 days before due."""
        to_create = []
        payment_terms = {"half_30_60": self._demo_payment_term_half_30_60(company)}
        for spec in DEMO_CUSTOMERS:
            for invoice in spec["invoices"]:
                values = {
                    "move_type": "out_invoice",
                    "partner_id": customers[spec["key"]].id,
                    "journal_id": journal.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": quantity,
                                "price_unit": price,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for label, quantity, price in invoice["lines"]
                    ],
                }
                if invoice.get("payment_term"):
                    values["invoice_payment_term_id"] = payment_terms[invoice["payment_term"]].id
                else:
                    values["invoice_date_due"] = fields.Date.add(today, days=invoice["due"])
                values["invoice_date"] = fields.Date.add(
                    today, days=invoice.get("invoice_days", invoice.get("due", 0) - 30)
                )
                to_create.append((spec, invoice, values))
        to_create.sort(key=lambda item: item[2]["invoice_date"])
        Move = self.env["account.move"].with_company(company)
        invoices = []
        for spec, invoice, values in to_create:
            move = Move.create(values)
            move.action_post()
            invoices.append((spec, invoice, move))
        return invoices

    @api.model
    def _demo_payment_term_half_30_60(self, company):
        """A payment term in two instalments: 50 % at 30 days, 50 % at 60 days."""
        return self.env["account.payment.term"].create(
            {
                "name": "50 % à 30 jours, 50 % à 60 jours",
                "company_id": company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )

    @api.model
    def _demo_create_history(self, company, customers, invoices, today):
        """Past reminders, sent on their date, as the daily run would have made them: at the level of the customer's
        ladder in the place of the professional level named."""
        first_level = self.env.ref("l10n_fr_dunning.level_first")
        Reminder = self.env["l10n_fr_dunning.reminder"].with_context(tracking_disable=True)
        ladders = self.env["l10n_fr_dunning.policy"]._company_ladders(company)
        for spec in DEMO_CUSTOMERS:
            customer = customers[spec["key"]]
            ladder = ladders.ladder_of(customer.with_company(company))
            moves = self.env["account.move"].union(*(move for owner, _invoice, move in invoices if owner is spec))
            for level_xml_id, days in spec.get("history", []):
                day = fields.Date.add(today, days=days)
                professional_level = self.env.ref(f"l10n_fr_dunning.{level_xml_id}")
                level = (
                    ladder.filtered(lambda level, place=professional_level: level.sequence == place.sequence)[:1]
                    or professional_level
                )
                dunned = moves.filtered(
                    lambda move, day=day: (
                        move._dunning_level_start(first_level) <= day and not move._dunning_insolvency().pre_opening
                    )
                )
                values = {
                    "partner_id": customer.id,
                    "contact_id": (customer.dunning_contact_id or customer).id,
                    "company_id": company.id,
                    "level_id": level.id,
                    "date": day,
                    "user_id": company.dunning_user_id.id,
                    "line_ids": dunned._dunning_reminder_line_commands(dunned._dunning_amounts(day), day),
                }
                if level.is_formal_notice and spec.get("formal_notice"):
                    tracking_number, days_to_receipt = spec["formal_notice"]
                    values.update(
                        {
                            "lrar_tracking_number": tracking_number,
                            "lrar_date_posted": day,
                            "lrar_date_acknowledged": fields.Date.add(day, days=days_to_receipt),
                        }
                    )
                # Created to send, then sent: lines cannot be added to a sent reminder.
                Reminder.create(values)._write_state({"state": "sent", "sent_date": day})

    @api.model
    def _demo_create_hand_over(self, company, customer):
        """A draft hand-over file to a lawyer for the contentieux customer: the user reviews it and hands it over."""
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("dunning_active", "=", True),
            ]
        )
        hand_over = self.env["l10n_fr_dunning.collection.file"].create(
            {
                "name": "Assignation Garage Lefèvre (brouillon)",
                "partner_id": customer.id,
                "company_id": company.id,
                "route": "assignation",
                "move_ids": [Command.set(moves.ids)],
            }
        )
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "l10n_fr_dunning.demo_collection_file_lefevre", "record": hand_over, "noupdate": True}]
        )

    @api.model
    def _demo_settle(self, invoices, today):
        """Disputes, promises to pay and real payments of the demo invoices."""
        for _spec, invoice, move in invoices:
            if invoice.get("dispute"):
                move.write({"dunning_disputed": True, "dunning_dispute_reason": invoice["dispute"]})
            if invoice.get("promise_in_days") and invoice.get("from_portal"):
                # Made by the customer on the page its last reminder links to.
                self.env["l10n_fr_dunning.reminder"].search(
                    [("partner_id", "=", move.commercial_partner_id.id)],
                    order="date desc, id desc",
                    limit=1,
                )._portal_promise(fields.Date.add(today, days=invoice["promise_in_days"]), move.amount_residual)
            elif invoice.get("promise_in_days"):
                move.write(
                    {
                        "dunning_promise_date": fields.Date.add(today, days=invoice["promise_in_days"]),
                        "dunning_promise_amount": move.amount_residual,
                    }
                )
            if invoice.get("past_promise"):
                made, promised = invoice["past_promise"]
                self.env["l10n_fr_dunning.promise"].create(
                    {
                        "move_id": move.id,
                        "date_made": fields.Date.add(today, days=made),
                        "date": fields.Date.add(today, days=promised),
                        "amount": move.amount_residual,
                        "amount_due": move.amount_residual,
                    }
                )
            if invoice.get("payment"):
                amount, days = invoice["payment"]
                self.env["account.payment.register"].with_context(
                    active_model="account.move",
                    active_ids=move.ids,
                ).create(
                    {
                        "amount": amount or move.amount_residual,
                        "payment_date": fields.Date.add(today, days=days),
                    }
                ).action_create_payments()

    @api.model
    def _demo_create_payment_plans(self, company, customers, invoices, today):
        """Monthly plans accepted in the past, their paid instalments paid on their day; then the check the daily
        run starts with, which breaks the plan whose instalment was missed."""
        Plan = self.env["l10n_fr_dunning.payment.plan"]
        for spec in DEMO_CUSTOMERS:
            if not spec.get("plan"):
                continue
            plan_spec = spec["plan"]
            moves = self.env["account.move"].union(*(move for owner, _invoice, move in invoices if owner is spec))
            plan = Plan.create(
                {
                    "partner_id": customers[spec["key"]].id,
                    "company_id": company.id,
                    "user_id": company.dunning_user_id.id,
                    "invoice_ids": [Command.set(moves.ids)],
                    "generate_count": plan_spec["count"],
                    "generate_first_date": fields.Date.add(today, days=plan_spec["first"]),
                    "note": "Échéancier convenu par téléphone avec le service comptable.",
                }
            )
            plan.action_generate_lines()
            plan.action_accept()
            plan.accepted_date = fields.Date.add(today, days=plan_spec["accepted"])
            for line, days in zip(plan.line_ids.sorted("date_due"), plan_spec["paid"], strict=False):
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=moves.ids
                ).create(
                    {"amount": line.amount, "payment_date": fields.Date.add(today, days=days)}
                ).action_create_payments()
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": f"l10n_fr_dunning.demo_payment_plan_{spec['key']}", "record": plan, "noupdate": True}]
            )
        Plan._check_missed_instalments(company, today)
