"""Merge a fresh export of the module's terms (the .pot) into i18n/fr.po, as msgmerge would.

Usage (the harness runs it: ``bash scripts/harness.sh i18n``)::

    python scripts/i18n_update.py EXPORT.pot I18N_DIR

Copies EXPORT.pot to I18N_DIR/l10n_fr_dunning.pot, keeps every French translation whose msgid is still
exported (with the export's locations and comments), adds the new msgids untranslated, drops the msgids no
longer exported, and prints the untranslated ones (tests/test_i18n.py fails while any is left).
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
        if old.get(entry.msgid) and old[entry.msgid].msgstr:
            entry.msgstr = old[entry.msgid].msgstr
        merged.append(entry)
    merged.save(po_path)
    shutil.copyfile(export_path, f"{i18n_dir}/l10n_fr_dunning.pot")
    untranslated = [entry.msgid for entry in merged if not entry.msgstr]
    dropped = len([msgid for msgid in old if msgid not in {entry.msgid for entry in pot}])
    sys.stdout.write(f"fr.po: {len(merged)} terms, {dropped} dropped, {len(untranslated)} untranslated\n")
    for msgid in untranslated:
        sys.stdout.write(f"  untranslated: {msgid[:110]!r}\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
