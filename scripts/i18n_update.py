"""Merge a fresh export of the module's terms (the .pot) into i18n/fr.po, as msgmerge would.

Usage (the harness runs it: ``bash scripts/harness.sh i18n``)::

    python scripts/i18n_update.py EXPORT.pot I18N_DIR

Copies EXPORT.pot to I18N_DIR/l10n_fr_dunning.pot, keeps every French entry whose msgid is still exported (with
the export's locations and comments; an empty msgstr means "the same as the msgid", as gettext and OCA's po
formatter have it), adds the new msgids flagged fuzzy, drops the msgids no longer exported, and prints the fuzzy
ones: translate each, or confirm it is the same in French, and remove its fuzzy flag (tests/test_i18n.py fails
while any is left).
"""

import shutil
import sys

import polib


def main(export_path, i18n_dir):
    pot = polib.pofile(export_path)
    po_path = f"{i18n_dir}/fr.po"
    old = {entry.msgid: entry for entry in polib.pofile(po_path)}
    merged = polib.pofile(po_path)
    merged[:] = []
    for entry in pot:
        previous = old.get(entry.msgid)
        if previous is not None and "fuzzy" not in previous.flags:
            entry.msgstr = previous.msgstr
        else:
            entry.msgstr = previous.msgstr if previous is not None else ""
            entry.flags.append("fuzzy")
        merged.append(entry)
    merged.save(po_path)
    shutil.copyfile(export_path, f"{i18n_dir}/l10n_fr_dunning.pot")
    untranslated = [entry.msgid for entry in merged if "fuzzy" in entry.flags]
    dropped = len([msgid for msgid in old if msgid not in {entry.msgid for entry in pot}])
    sys.stdout.write(f"fr.po: {len(merged)} terms, {dropped} dropped, {len(untranslated)} to translate (fuzzy)\n")
    for msgid in untranslated:
        sys.stdout.write(f"  fuzzy: {msgid[:110]!r}\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
