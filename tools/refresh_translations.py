"""Refresh the English catalog of chaincrm: extract, update, compile, list what is missing.

    .venv/bin/python tools/refresh_translations.py

1. extracts every msgid from crm/, chains/, templates/ (babel.cfg, keywords _ _l N_
   gettext lazy_gettext ngettext ...), plus labels reached through variables (code
   tables, nav labels, timeline kinds -- see tests/foundation/test_i18n.py);
2. updates crm/translations/en/LC_MESSAGES/messages.po (no fuzzy matching; strings
   gone from the source become obsolete '#~' entries);
3. keeps every English translation the .po already has;
4. writes the .po, compiles messages.mo, and lists msgids still without English.
   Write their msgstr in the .po and run again (it recompiles the .mo).

Plain `pybabel update` would mark the labels shown through variables obsolete (they
are in no gettext call), dropping them from the .mo: use this script instead.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402
from foundation.test_i18n import MO, PO, needs_translation, runtime_msgids, source_msgids  # noqa: E402


def template_catalog() -> Catalog:
    template = Catalog(project="chaincrm", version="0.1.0", charset="utf-8", creation_date=datetime.now(UTC))
    extracted = source_msgids()
    for msgid, places in extracted.items():
        locations = [(filename, int(lineno)) for filename, lineno in (p.rsplit(":", 1) for p in places)]
        template.add(msgid, locations=locations)
    for msgid, where in runtime_msgids().items():
        if msgid not in extracted:
            template.add(msgid, auto_comments=[f"shown through a variable: {where}"])
    return template


def main() -> int:
    template = template_catalog()
    if PO.exists():
        with open(PO, "rb") as f:
            catalog = read_po(f, locale="en")
    else:
        PO.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="en", project="chaincrm", version="0.1.0")
    before = {(m.id, m.string) for m in catalog if m.id}
    dates = catalog.creation_date, catalog.revision_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False  # the header; a fuzzy header marks the whole file as unreviewed
    catalog.copyright_holder = "chaincrm contributors"
    catalog.last_translator = "chaincrm contributors"
    catalog.language_team = "English"
    catalog.header_comment = (
        "# English translations for chaincrm. The msgids are the Chinese UI text;\n"
        "# tests/foundation/test_i18n.py checks that every one has English.\n#"
    )
    catalog.revision_date = datetime.now(UTC)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        if not message.string and not needs_translation(message.id):
            message.string = message.id
        if not message.string:
            missing.append(message.id)
    # Obsolete entries would otherwise pile up forever; git history keeps them.
    catalog.obsolete.clear()
    if PO.exists() and before == {(m.id, m.string) for m in catalog if m.id}:
        catalog.creation_date, catalog.revision_date = dates  # no real change: no date churn
    with open(PO, "wb") as f:
        write_po(f, catalog, width=100, sort_output=False, include_previous=False)
    with open(MO, "wb") as f:
        write_mo(f, catalog)
    print(f"{len(catalog)} messages, {len(missing)} without English")
    for msgid in missing:
        print("  ", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
