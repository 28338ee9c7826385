import pytest

from saldo.channels.commands import gsm7


@pytest.mark.parametrize(
    ("text", "septets"),
    [("SALDO 68516716147", 17), ("Rp12.345.678", 12), ("€", 2), ("^{}\\[~]|", 16), ("@£$¥èéùìòÇØøÅåΔ_ÆæßÉ", 20)],
)
def test_septets(text, septets):
    assert gsm7.septets(text) == septets


def test_outside_gsm7():
    assert not gsm7.is_gsm7("Rp1 ✓")
    assert not gsm7.is_gsm7("\x1b")
    with pytest.raises(ValueError):
        gsm7.septets("漢")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("José Ōno", "José Ono"), ("“PT” – Jaya’s", "\"PT\" - Jaya's"), ("漢字", "??"), ("Ça", "Ça"), ("ő", "o")],
)
def test_to_gsm7(text, expected):
    assert gsm7.to_gsm7(text) == expected


def test_truncate_marks_the_cut_and_counts_extension_characters():
    assert gsm7.truncate("A" * 160, 160) == "A" * 160
    assert gsm7.truncate("A" * 161, 160) == "A" * 158 + ".."
    assert gsm7.truncate("€" * 100, 160) == "€" * 79 + ".."
