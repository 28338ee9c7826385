"""GSM 03.38 default alphabet: what an SMS can carry in 7-bit septets, 160 to a single message.

Characters of the extension table (^{}\\[~]|€ and form feed) take an escape septet each, so they
count twice. Anything else forces UCS-2 (70 characters), so replies are kept inside this set."""

import unicodedata

SINGLE_SMS = 160

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "\f^{}\\[~]|€"
_BASIC = frozenset(BASIC) - {"\x1b"}  # the escape itself is not a character one can send
_EXTENSION = frozenset(EXTENSION)
_ALL = _BASIC | _EXTENSION

# Look-alikes that phones and copy-paste bring in, mapped to what GSM-7 has.
_SUBSTITUTES = str.maketrans(
    {
        "‘": "'", "’": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-", "−": "-",
        "…": "...", "\t": " ", "\u00a0": " ",
    }
)


# Every reply goes through to_gsm7 and truncate: the loops over characters run only for the
# rare text that needs them (issuperset and count run in C).


def is_gsm7(text: str) -> bool:
    return _ALL.issuperset(text)


def septets(text: str) -> int:
    """Length in septets: extension characters count two. Raises ValueError outside GSM-7."""
    if _BASIC.issuperset(text):
        return len(text)
    if not _ALL.issuperset(text):
        c = next(c for c in text if c not in _ALL)
        raise ValueError(f"not GSM-7: {c!r}")
    return len(text) + sum(text.count(c) for c in EXTENSION)


def to_gsm7(text: str) -> str:
    """The closest GSM-7 text: accents dropped where the letter is missing (ō → o), '?' for the rest."""
    text = text.translate(_SUBSTITUTES)
    if _ALL.issuperset(text):
        return text
    out = []
    for c in text:
        if c in _BASIC or c in _EXTENSION:
            out.append(c)
            continue
        base = "".join(b for b in unicodedata.normalize("NFKD", c) if not unicodedata.combining(b))
        out.append(base if base and is_gsm7(base) else "?")
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    """At most `limit` septets of GSM-7 `text`, cut on a character boundary, '..' marking the cut."""
    if septets(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        size = 2 if c in _EXTENSION else 1
        if used + size > limit - 2:
            break
        out.append(c)
        used += size
    return "".join(out).rstrip() + ".."
