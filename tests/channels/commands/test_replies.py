"""Every reply the short code can produce is one plain SMS: GSM-7, at most 160 septets."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from saldo.channels.commands import gsm7, replies
from saldo.channels.commands.grammar import Field, FormatError
from saldo.statements.selectors import BalanceSummary

BIG = 10**13 - 1  # Rp9.999.999.999.999: more than any JHT balance


def every_reply() -> list[replies.Reply]:
    kpj = "68516716147"
    kpjs = [f"{n:011d}" for n in range(1, 30)]
    errors = [FormatError("daftar", f) for f in (Field.NIK, Field.NAME, Field.BIRTH_DATE, Field.KPJ, Field.EMAIL)]
    errors += [FormatError("daftar", Field.FIELDS), FormatError("saldo", Field.KPJ), FormatError("status", Field.KPJ)]
    balances = [
        BalanceSummary(kpj, date(2026, 12, 31), jht, jp, last)
        for jht in (0, BIG)
        for jp in (None, 0, BIG)
        for last in (None, date(2026, 12, 1))
    ]
    employers = ["PT MAJU JAYA", "PT " + "Ç€[]{}~^|\\ÆŒ漢字 " * 20, "X" * 200, "€" * 200]
    return [
        replies.usage(),
        replies.help_text(),
        *[replies.format_error(e) for e in errors],
        replies.not_mobile(),
        replies.registered(kpj=kpj),
        replies.registration_refused(),
        replies.registration_locked(until=datetime(2026, 12, 31, 23, 59, tzinfo=UTC)),
        replies.rate_limited(),
        replies.not_registered(),
        *[replies.choose_kpj(kpjs=kpjs[:n], command=c) for n in (2, 5, 29) for c in ("SALDO", "STATUS")],
        *[replies.balance(b) for b in balances],
        *[
            replies.status(kpj=kpj, as_of=date(2026, 12, 31), status=s, employer=e)
            for s in ("aktif", "non-aktif")
            for e in employers
        ],
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_reply_is_one_gsm7_sms(language):
    with translation.override(language):
        produced = every_reply()
    for reply in produced:
        assert reply.text and gsm7.is_gsm7(reply.text), reply
        assert gsm7.septets(reply.text) <= 160, reply


def test_a_long_employer_name_is_cut_with_extension_characters_counted_twice():
    reply = replies.status(kpj="68516716147", as_of=date(2026, 12, 31), status="aktif", employer="€" * 200)
    assert reply.text.endswith("€...")
    assert gsm7.septets(reply.text) in (159, 160)
