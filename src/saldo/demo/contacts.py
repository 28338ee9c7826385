"""Mobile numbers with real operator prefixes (domain.md §1) and e-mail addresses.

Numbers are written the ways operators' files write them (0812-…, 62812…, +62 812…) so the
import's normalisation is exercised; the registry stores +628…. E-mail domains are the reserved
example.* domains: demo data must never reach a real inbox.
"""

import random
import re

# (prefix, weight): Telkomsel is the biggest operator, then Indosat and XL.
OPERATOR_PREFIXES: tuple[tuple[str, int], ...] = (
    ("0811", 4), ("0812", 10), ("0813", 8), ("0821", 6), ("0822", 6), ("0823", 3),
    ("0851", 2), ("0852", 6), ("0853", 4),  # Telkomsel
    ("0814", 1), ("0815", 2), ("0816", 2), ("0855", 1), ("0856", 5), ("0857", 5), ("0858", 2),  # Indosat
    ("0817", 2), ("0818", 2), ("0819", 3), ("0859", 2), ("0877", 4), ("0878", 4),  # XL
    ("0831", 1), ("0832", 1), ("0838", 2),  # Axis
    ("0881", 1),  # Smartfren
    ("0895", 2), ("0896", 3), ("0897", 1), ("0898", 2), ("0899", 1),  # Tri
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


def phone_number(rng: random.Random) -> str:
    """A national mobile number, 11-13 digits with the trunk 0 (most are 12)."""
    prefix = rng.choices([p for p, _ in OPERATOR_PREFIXES], weights=[w for _, w in OPERATOR_PREFIXES])[0]
    length = rng.choices((7, 8, 9), weights=(2, 7, 1))[0]
    subscriber = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(length - 1))
    return prefix + subscriber


def phone_as_written(rng: random.Random, national: str) -> str:
    """The number as an operator's spreadsheet might hold it."""
    style = rng.choices(("plain", "dashes", "plus", "62"), weights=(70, 15, 10, 5))[0]
    if style == "dashes":
        return f"{national[:4]}-{national[4:8]}-{national[8:]}"
    if style == "plus":
        return f"+62 {national[1:4]} {national[4:]}"
    if style == "62":
        return "62" + national[1:]
    return national


def email_address(rng: random.Random, name: str, birth_year: int) -> str:
    """An address built from the name, the way people pick them (budi.santoso87@…)."""
    words = [w for w in re.sub(r"[^a-z ]", "", name.lower()).split() if len(w) > 1] or ["peserta"]
    first, last = words[0], words[-1]
    style = rng.randrange(5)
    if style == 0 or len(words) == 1:
        local = f"{first}{birth_year % 100:02d}"
    elif style == 1:
        local = f"{first}.{last}"
    elif style == 2:
        local = f"{first}{last}{rng.randrange(1, 100)}"
    elif style == 3:
        local = f"{first[0]}.{last}"
    else:
        local = f"{first}_{last}{birth_year % 100:02d}"
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"
