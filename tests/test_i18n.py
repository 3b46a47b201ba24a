"""The French translation (i18n/fr.po): loaded into the database, used by menus, fields,
selections and Python messages, complete, and with its placeholders intact."""

import collections
import os
import re

import polib

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.translate import TranslationModuleReader

MODULE = "l10n_fr_dunning"
PO_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n", "fr.po")

# What must come out of a msgid unchanged in its msgstr: Python formats (%s, %(name)s),
# inline templates ({{ object.name }}) and HTML/QWeb tags with their attributes.
PLACEHOLDERS = (
    re.compile(r"%(?:\([^)]+\))?[sdfr]"),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<[^>]+>"),
)


class TestFrenchTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["fr_FR"], overwrite=True)
        cls.fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def test_menus_and_actions(self):
        menu = self.fr.ref("l10n_fr_dunning.menu_move_dunning")
        self.assertEqual(menu.name, "Factures en relance")
        self.assertEqual(menu.with_context(lang="en_US").name, "Invoices in dunning")
        self.assertEqual(
            self.fr.ref("l10n_fr_dunning.menu_reminder").name, "Relances", "two menus side by side, two names"
        )
        self.assertEqual(self.fr.ref("l10n_fr_dunning.action_run_dunning_now").name, "Lancer les relances maintenant")
        self.assertEqual(self.fr.ref("l10n_fr_dunning.action_dunning_print_queue").name, "Lettres à imprimer")

    def test_model_and_field_descriptions(self):
        self.assertEqual(self.fr["ir.model"]._get("l10n_fr_dunning.level").name, "Niveau de relance")
        fields = self.fr["res.partner"].fields_get(["dunning_debtor_kind", "dunning_insolvent"], ["string"])
        self.assertEqual(fields["dunning_debtor_kind"]["string"], "Type de débiteur")
        self.assertEqual(fields["dunning_insolvent"]["string"], "Procédure collective")
        level_fields = self.fr["l10n_fr_dunning.level"].fields_get(["delay_days"], ["string"])
        self.assertEqual(level_fields["delay_days"]["string"], "Délai (jours)")

    def test_selection_values(self):
        kinds = dict(self.fr["res.partner"].fields_get(["dunning_debtor_kind"])["dunning_debtor_kind"]["selection"])
        self.assertEqual(
            kinds,
            {
                "commercial": "Professionnel commerçant",
                "professional": "Autre professionnel",
                "consumer": "Consommateur",
                "non_professional": "Non-professionnel",
                "public": "Acheteur public",
            },
        )
        channels = dict(self.fr["l10n_fr_dunning.level"].fields_get(["channel"])["channel"]["selection"])
        self.assertEqual(channels["lrar"], "Lettre recommandée avec accusé de réception (LRAR)")
        self.assertEqual(channels["phone"], "Appel téléphonique")

    def test_view_terms(self):
        arch = self.fr["l10n_fr_dunning.level"].get_view(view_type="form")["arch"]
        self.assertIn("Effet juridique", arch)
        self.assertNotIn("Legal effect", arch)

    def test_french_letters_stay_french(self):
        """The ladder data and the letters are written in French: translated as themselves."""
        level_names = (
            self.fr.ref("l10n_fr_dunning.level_first").name,
            self.fr.ref("l10n_fr_dunning.level_litigation").name,
        )
        self.assertEqual(level_names, ("1re relance", "Contentieux"))
        template = self.fr.ref("l10n_fr_dunning.mail_template_reminder")
        self.assertEqual(template.subject, template.with_context(lang="en_US").subject)
        self.assertEqual(template.name, "Relances : e-mail de relance")

    def test_python_message_for_a_french_user(self):
        user = new_test_user(
            self.env,
            login="agent_relances_fr",
            lang="fr_FR",
            groups="account.group_account_invoice,l10n_fr_dunning.group_dunning_user",
        )
        run = self.env["l10n_fr_dunning.run"].with_user(user).with_context(lang=user.lang)
        with self.assertRaises(UserError) as caught:
            run.action_run_now()
        self.assertEqual(str(caught.exception), "Seuls les responsables des relances peuvent lancer les relances.")


class TestFrenchPoFile(TransactionCase):
    """Guards future strings: every term Odoo exports for the module is in i18n/fr.po, reviewed.

    gettext's convention, as OCA's po formatter (oca-checks-po) writes it: an empty msgstr means "the same as the
    msgid" (the letters' French text, or a word such as "Date" or "Note" spelt the same in both languages);
    a new term arrives flagged fuzzy (`bash scripts/harness.sh i18n`) until a translator translates or confirms it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = polib.pofile(PO_PATH)

    def test_header(self):
        self.assertEqual(self.po.metadata.get("Language"), "fr")
        self.assertIn("charset=UTF-8", self.po.metadata.get("Content-Type", ""))

    def test_every_entry_translated(self):
        untranslated = [
            e.msgid for e in self.po if "fuzzy" in e.flags or e.obsolete or (e.msgstr and not e.msgstr.strip())
        ]
        self.assertFalse(
            untranslated,
            "fuzzy (to translate or confirm) or obsolete entries in i18n/fr.po:\n" + "\n".join(untranslated),
        )

    def test_placeholders_preserved(self):
        broken = []
        for entry in self.po.translated_entries():
            for pattern in PLACEHOLDERS:
                source = collections.Counter(pattern.findall(entry.msgid))
                translation = collections.Counter(pattern.findall(entry.msgstr))
                if source != translation:
                    broken.append(f"{entry.msgid!r}: {dict(source)} != {dict(translation)}")
        self.assertFalse(broken, "placeholders differ between msgid and msgstr:\n" + "\n".join(broken))

    def test_every_exported_term_is_in_the_po(self):
        """A new string in the code, a view or the data must be added to i18n/fr.po (re-export and merge)."""
        translated = {e.msgid for e in self.po if "fuzzy" not in e.flags and not e.obsolete}
        exported = {row[4] for row in TranslationModuleReader(self.env.cr, modules=[MODULE]) if row[4]}
        missing = sorted(exported - translated)
        self.assertFalse(
            missing,
            "terms missing from i18n/fr.po (run `bash scripts/harness.sh i18n` and translate):\n"
            + "\n".join(map(repr, missing)),
        )
