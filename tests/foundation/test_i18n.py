"""The English catalog: compiled, complete, and used when a user picks English.

The UI is written with Chinese msgids. ``source_msgids()`` and ``runtime_msgids()`` are
also what the catalog-filling script uses, so the test and the catalog agree on what
"every string" means.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "crm" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}

# Labels kept as plain Chinese strings in code tables and translated where shown
# (``_(STAGE_LABELS[p.stage])``); extraction cannot see them.
LABEL_TABLES = (
    "crm.activities.models:ACTIVITY_KINDS",
    "crm.audit.views:ACTION_LABELS",
    "crm.auth.models:ROLE_LABELS",
    "crm.commitments.models:POLICY_KINDS",
    "crm.commitments.models:COMMITMENT_STATUSES",
    "crm.commitments.models:FAIR_REVIEW_STATES",
    "crm.commitments.models:LEGAL_REVIEW_STATES",
    "crm.commitments.models:OBLIGATION_KINDS",
    "crm.commitments.models:OBLIGATION_UNITS",
    "crm.commitments.models:OBLIGATION_STATUSES",
    "crm.commitments.models:CONSEQUENCES",
    "crm.commitments.models:DECISIONS",
    "crm.commitments.services:ACTION_LABELS",
    "crm.companies.models:COMPANY_TAGS",
    "crm.companies.services:SIZE_LABELS",
    "crm.projects.models:STAGE_LABELS",
    "crm.projects.models:FUND_ORIGINS",
    "crm.projects.models:PROJECT_KINDS",
    "crm.projects.models:SOURCE_CHANNELS",
    "crm.regions.models:LEVEL_LABELS",
    "crm.rewards.models:REFERRAL_STATUSES",
    "crm.rewards.models:INELIGIBLE_REASONS",
    "crm.rewards.models:BASES",
    "crm.rewards.models:MODE_LABELS",
    "crm.rewards.models:REFERRER_KINDS",
    "crm.rewards.models:LIST_STATUSES",
    "chains.vocabulary:STATUS_LABELS",
    "chains.vocabulary:STAGE_LABELS",
    "chains.vocabulary:IMPORTANCE_LABELS",
    "chains.vocabulary:ROLE_LABELS",
    "chains.vocabulary:PRESENCE_LABELS",
)
# Calls whose string argument is a msgid translated later: (keyword name, position).
MSGID_ARGUMENTS = {"register_nav": ("label", 1), "FollowUpItem": ("kind", 3), "TimelineEntry": ("kind", 1)}
CJK = re.compile(r"[\u3400-\u9fff]")


def source_msgids() -> dict[str, list[str]]:
    """msgid -> the places it occurs, extracted like ``pybabel extract -F babel.cfg``."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def _string_arguments(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MSGID_ARGUMENTS:
            continue
        keyword, position = MSGID_ARGUMENTS[name]
        values = [k.value for k in node.keywords if k.arg == keyword]
        if len(node.args) > position:
            values.append(node.args[position])
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value, node.lineno


def runtime_msgids() -> dict[str, str]:
    """msgid -> where it is defined, for labels that reach ``_()`` through a variable."""
    found: dict[str, str] = {}
    for spec in LABEL_TABLES:
        module, name = spec.split(":")
        table = getattr(importlib.import_module(module), name)
        for label in table.values() if isinstance(table, dict) else table:
            if isinstance(label, str) and label:
                found.setdefault(label, spec)
    for folder in ("crm", "chains"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for text, lineno in _string_arguments(ast.parse(path.read_text(encoding="utf-8"))):
                found.setdefault(text, f"{path.relative_to(ROOT)}:{lineno}")
    return found


def needs_translation(msgid: str) -> bool:
    # Text without Chinese (a stray "stage" picked up from ``_(LABELS[r["stage"]])``)
    # reads the same in English.
    return bool(CJK.search(msgid))


def _english_catalog():
    with open(PO, "rb") as po:
        return read_po(po, locale="en")


def _untranslated(msgids: dict[str, str]) -> list[str]:
    catalog = _english_catalog()
    missing = []
    for msgid, where in sorted(msgids.items(), key=lambda item: item[1]):
        message = catalog.get(msgid)
        if needs_translation(msgid) and (message is None or not message.string or message.fuzzy):
            missing.append(f"{where}  {msgid}")
    return missing


def test_compiled_catalog_matches_the_po_file():
    with open(MO, "rb") as mo:
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    expected = {m.id: m.string for m in _english_catalog() if m.id and m.string and not m.fuzzy}
    stale = sorted(k for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k))
    assert not stale, "messages.mo is out of date; run pybabel compile -d crm/translations:\n" + "\n".join(
        stale[:20]
    )


def test_every_string_in_the_source_has_an_english_translation():
    missing = _untranslated({msgid: places[0] for msgid, places in source_msgids().items()})
    assert not missing, f"{len(missing)} strings without English translation:\n" + "\n".join(missing)


def test_every_label_shown_through_a_variable_has_an_english_translation():
    missing = _untranslated(runtime_msgids())
    assert not missing, f"{len(missing)} labels without English translation:\n" + "\n".join(missing)


def test_translations_keep_placeholders_and_markup():
    problems = []
    for message in _english_catalog():
        if not message.id or not message.string:
            continue
        for pattern in (r"%\(\w+\)[sd]|%[sd]", r"</?[a-zA-Z][^>]*>"):
            if sorted(re.findall(pattern, message.id)) != sorted(re.findall(pattern, message.string)):
                problems.append(f"{message.id!r} -> {message.string!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not problems, "\n".join(problems)


def test_strings_of_templates_survive_the_percent_formatting_jinja_gives_them():
    """Jinja's ``_()`` formats every string with ``%``, variables or none: a bare ``%`` in the
    Chinese or English text of a template string is a 500 (``(%)`` ends "unsupported format
    character"); a literal percent sign there is written ``%%``."""
    problems = []
    for message in _english_catalog():
        if not message.id or not any(path.startswith("templates/") for path, _line in message.locations):
            continue
        names = set(re.findall(r"%\((\w+)\)", message.id))
        for text in (message.id, message.string):
            try:
                text % {name: 1 for name in names}
            except (TypeError, ValueError, KeyError) as exc:
                problems.append(f"{text!r}: {exc}")
    assert not problems, "\n".join(problems)


def test_login_page_in_english_after_choosing_it_and_chinese_by_default(client, world):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "Log in" not in page
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and "登录" not in page
    client.get("/lang/zh")
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_navigation_in_english_has_no_chinese_left(client, world, auth):
    auth.login("a_manager")
    client.get("/lang/en")
    page = client.get("/account/password").get_data(as_text=True)
    nav = page.split("<main")[0]
    # The user's own region name is data, not UI text; so is the "中文" language link.
    nav = nav.replace("岐山县", "").replace("中文", "")
    assert not CJK.search(nav), CJK.findall(nav)
