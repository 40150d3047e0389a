"""The translation catalogs cover every sentence the apps show.

The messages are extracted from ``widgets/`` in-process, the same way as the
``pybabel extract`` command in ``widgets/locale/README.md``, and each app
language's catalog (``widgets/locale/<lang>/LC_MESSAGES/homeward.po``) must
translate all of them: every plural form filled, nothing fuzzy, and the same
``{placeholders}`` as the English. When a test here fails after you added a
string, its message lists what to translate; the README says how.
"""

from __future__ import annotations

import ast
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from widgets import i18n

WIDGETS = Path(i18n.__file__).resolve().parent
#: Same keywords as ``pybabel extract -k N_ -k _ -k ngettext:1,2`` (defaults + N_).
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}
#: Every language an app offers, except English (the source).
LANGUAGES = [lang for lang in i18n.LANGUAGES if lang != "en"]

Msgid = str | tuple[str, str]  # a plain msgid, or (singular, plural)


@cache
def extracted() -> dict[Msgid, list[str]]:
    """What Babel extracts from ``widgets/``: msgid -> where it is used."""
    found: dict[Msgid, list[str]] = {}
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(WIDGETS), method_map=method_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            message = message[:2] if message[1] else message[0]
        if message:
            found.setdefault(message, []).append(f"widgets/{filename}:{lineno}")
    return found


def _marked_calls() -> dict[Msgid, list[str]]:
    """Literal ``_()``/``N_()``/``ngettext()`` calls, found with ``ast``.

    ``ast`` also sees calls written inside f-strings, which Babel's extractor
    (on Python < 3.12) does not: those would silently stay English.
    """
    names = {"_", "N_", "gettext", "ngettext"}
    found: dict[Msgid, list[str]] = {}
    for path in sorted(WIDGETS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name not in names:
                continue
            literals = [
                a.value
                for a in node.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if name == "ngettext":
                if len(literals) < 2:
                    continue
                message: Msgid = (literals[0], literals[1])
            elif literals and isinstance(node.args[0], ast.Constant):
                message = literals[0]
            else:
                continue
            where = f"widgets/{path.relative_to(WIDGETS).as_posix()}:{node.lineno}"
            found.setdefault(message, []).append(where)
    return found


@cache
def expected() -> dict[Msgid, list[str]]:
    """Every message an app may show: extracted ones plus any Babel missed."""
    out = dict(extracted())
    for message, where in _marked_calls().items():
        out.setdefault(message, where)
    return out


@cache
def catalog(lang: str) -> Catalog:
    path = i18n.catalog_path(lang)
    assert path.exists(), (
        f"no catalog for {lang!r} at {path}; create it with "
        f"`pybabel init -D homeward -i widgets/locale/homeward.pot -d widgets/locale -l {lang}`"
    )
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, abort_invalid=True)


def _fields(text: str) -> set[str]:
    """The ``{placeholder}`` names of a ``str.format`` string."""
    return {
        field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field is not None
    }


def _listing(problems: dict[Msgid, str | list[str]]) -> str:
    lines = []
    for message, detail in problems.items():
        shown = " / ".join(message) if isinstance(message, tuple) else message
        where = ", ".join(detail) if isinstance(detail, list) else detail
        lines.append(f"  - {shown!r}  ({where})")
    return "\n".join(lines)


def test_sources_have_messages():
    messages = extracted()
    assert len(messages) > 50, "the extraction found too few messages: is widgets/ there?"
    assert "Currency" in messages
    assert any(isinstance(m, tuple) for m in messages), "no ngettext plural was extracted"


def test_app_languages():
    assert {"fil", "id"} <= set(LANGUAGES)


def test_every_marked_string_is_extractable():
    """A ``_()`` call inside an f-string is invisible to ``pybabel extract``.

    Move the ``_()`` call out of the f-string (``note = _("...")`` first, then
    ``f"...{html.escape(note)}..."``) so the template and catalogs get it.
    """
    hidden = {m: w for m, w in _marked_calls().items() if m not in extracted()}
    assert not hidden, (
        "pybabel extract cannot see these marked strings (a _() inside an f-string?);"
        " move the call out of the f-string:\n" + _listing(hidden)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_parses_and_checks(lang):
    cat = catalog(lang)
    assert str(cat.locale) == lang
    errors = [(m.id, [str(e) for e in errs]) for m, errs in cat.check()]
    assert not errors, f"{lang}: Babel finds problems in the catalog: {errors}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    cat = catalog(lang)
    missing: dict[Msgid, list[str]] = {}
    for message, where in expected().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = cat.get(key)
        if entry is None:
            missing[message] = where
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(message, tuple):
            complete = isinstance(entry.id, tuple) and len(forms) == cat.num_plurals and all(forms)
        else:
            complete = not isinstance(entry.id, tuple) and bool(forms[0])
        if not complete:
            missing[message] = where
    assert not missing, (
        f"{len(missing)} message(s) have no (complete) {lang!r} translation in "
        f"{i18n.catalog_path(lang).relative_to(WIDGETS.parent)}; run the pybabel extract/update "
        f"commands of widgets/locale/README.md and translate:\n" + _listing(missing)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_fuzzy(lang):
    cat = catalog(lang)
    assert not cat.fuzzy, f"{lang}: the catalog header is marked fuzzy"
    fuzzy = {m.id: "fuzzy" for m in cat if m.id and m.fuzzy}
    assert not fuzzy, (
        f"{lang}: check these translations and remove their '#, fuzzy' line:\n" + _listing(fuzzy)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang):
    cat = catalog(lang)
    wrong: dict[Msgid, str] = {}
    for entry in cat:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        want = set().union(*(_fields(i) for i in ids))
        for form in forms:
            if not form:
                continue  # reported by test_every_message_is_translated
            try:
                got = _fields(form)
            except ValueError as err:  # a lone { or }
                wrong[entry.id] = f"cannot be formatted: {err}: {form!r}"
                break
            if got != want:
                wrong[entry.id] = f"placeholders {sorted(got)} should be {sorted(want)}: {form!r}"
                break
    assert not wrong, f"{lang}: keep every {{placeholder}} exactly as in the English:\n" + _listing(
        wrong
    )


def test_gettext_for_translates():
    assert i18n.gettext_for("fil")("Savings") == "Ipon"
    assert i18n.gettext_for("id")("Savings") == "Tabungan"
    assert i18n.gettext_for("fil")("Language") == "Wika"
    assert i18n.gettext_for("id")("Language") == "Bahasa"
    text = i18n.gettext_for("id")("When you come home in {month}, your savings are {amount}.")
    assert text.format(month="Mar 2027", amount="Rp 5.000.000") == (
        "Saat Anda pulang pada Mar 2027, tabungan Anda Rp 5.000.000."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ngettext_for_every_count(lang):
    singular = "After you come home, your savings last {n} month."
    plural = "After you come home, your savings last {n} months."
    ngettext = i18n.ngettext_for(lang)
    for n in (0, 1, 2, 5, 11, 21):
        text = ngettext(singular, plural, n)
        assert text not in (singular, plural), f"{lang}: n={n} fell back to English"
        assert str(n) in text.format(n=n)


@pytest.mark.parametrize("lang", ["en", "xx", "fr"])
def test_english_and_unknown_languages_fall_back_to_english(lang):
    assert i18n.gettext_for(lang)("Savings") == "Savings"
    assert i18n.ngettext_for(lang)("{n} month", "{n} months", 2) == "{n} months"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unknown_msgid_falls_back_to_english(lang):
    assert (
        i18n.gettext_for(lang)("A sentence nobody has translated yet")
        == "A sentence nobody has translated yet"
    )
