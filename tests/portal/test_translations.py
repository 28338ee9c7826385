"""Every text of the portal's templates has its English translation (the .py strings are
checked by tests/core/test_translations.py)."""

import re
from pathlib import Path

from django.utils import translation

import saldo.portal

TEMPLATES = Path(saldo.portal.__file__).parent / "templates"
UNCHANGED_IN_ENGLISH = {"Email", "Status", "JP", "KPJ %(kpj)s"}


def template_strings() -> set[str]:
    found = set()
    for path in TEMPLATES.rglob("*.*"):
        text = path.read_text()
        found |= set(re.findall(r'{% translate "([^"]+)" %}', text))
        found |= set(re.findall(r"{% translate '([^']+)' %}", text))
        for block in re.findall(r"{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate) %}", text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", block))
    return found


def test_every_template_text_has_an_english_translation():
    strings = template_strings()
    assert len(strings) > 90
    with translation.override("en"):
        untranslated = sorted(s for s in strings if translation.gettext(s) == s and s not in UNCHANGED_IN_ENGLISH)
    assert untranslated == []
