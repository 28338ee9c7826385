"""User-facing text is Bahasa Indonesia by default, with English through Django's catalogs."""

import ast
from pathlib import Path

from django.utils import translation

import saldo
from saldo.registry.validators import validate_nik

SRC = Path(saldo.__file__).parent
# The core catalog plus one per app (src/saldo/<app>/locale/), so apps do not share one file.
CATALOGS = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))


def _marked_strings() -> set[str]:
    """Every literal passed to `_()` anywhere in the package."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _catalog() -> dict[str, str]:
    """msgid -> msgstr from every English .po file."""
    entries: dict[str, str] = {}
    for path in CATALOGS:
        entries.update(_po_entries(path))
    return entries


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr from one .po file (enough of the format for our catalogs)."""
    entries, key, current = {}, None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            key, current = "id", [ast.literal_eval(line[6:])]
            msgid = current
        elif line.startswith("msgstr "):
            key, current = "str", [ast.literal_eval(line[7:])]
            msgstr = current
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        elif not line.strip() and key == "str":
            entries["".join(msgid)] = "".join(msgstr)
            key, current = None, None
    return entries


def test_indonesian_is_the_default_language():
    assert validate_nik("123")[0].message == "NIK harus 16 angka"


def test_english_is_available():
    with translation.override("en"):
        assert validate_nik("123")[0].message == "NIK must be 16 digits"


def test_every_marked_string_has_an_english_translation():
    catalog = _catalog()
    untranslated = sorted(s for s in _marked_strings() if not catalog.get(s))
    assert untranslated == []


def test_the_compiled_catalogs_match_the_po_files():
    """The .mo files Django reads are compiled from the current .po files (run compilemessages after editing)."""
    with translation.override("en"):
        stale = [msgid for msgid, msgstr in _catalog().items() if msgid and translation.gettext(msgid) != msgstr]
    assert stale == []
