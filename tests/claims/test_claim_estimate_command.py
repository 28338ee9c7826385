"""`saldo claim-estimate KPJ --reason R --date D`: the same estimate every channel shows."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saldo.claims.selectors import claim_estimate_get
from tests.factories import account_of, make_resigned_member, post_entries

KPJ = "55500000001"


@pytest.fixture
def resigned():
    membership = make_resigned_member(kpj=KPJ, left_on=date(2025, 1, 15), months=12)
    post_entries(account_of(membership), [(date(2024, 12, 31), 60_000_000 - 12 * 285_000)], key="opening")
    return membership


def run(*args):
    out = StringIO()
    call_command("claim_estimate", *args, stdout=out)
    return out.getvalue()


def test_an_eligible_claim_shows_gross_tax_and_net(resigned):
    assert run(KPJ, "--reason", "resignation", "--date", "2025-03-01").splitlines() == [
        f"KPJ {KPJ} — klaim mengundurkan diri per 01-03-2025",
        "Dapat diklaim.",
        "  JHT bruto                   Rp60.000.000",
        "  Pajak (PPh 21 final)           Rp500.000",
        "  Diterima (neto)             Rp59.500.000",
        "Verifikasi: oleh petugas (panggilan video atau kunjungan ke kantor cabang).",
    ]


def test_not_yet_says_why_and_from_when(resigned):
    lines = run(KPJ, "--reason", "resignation", "--date", "2025-02-01").splitlines()
    assert lines[1:4] == [
        "Belum dapat diklaim:",
        "  - masa tunggu 1 bulan setelah berhenti bekerja berakhir pada 15-02-2025 [waiting_period]",
        "Paling cepat: 15-02-2025",
    ]


def test_json_is_the_selectors_shape(resigned):
    output = json.loads(run(KPJ, "--reason", "partial_10", "--date", "2025-03-01", "--json"))
    expected = claim_estimate_get(kpj=KPJ, reason="partial_10", as_of=date(2025, 3, 1), person_id=None)
    assert output == expected.as_json()
    assert output["payout"] == {"jht": 6_000_000, "jp": 0, "gross": 6_000_000, "tax": 0, "net": 6_000_000}


def test_the_event_date_is_passed_on(resigned):
    output = json.loads(
        run(KPJ, "--reason", "leaving_indonesia", "--date", "2025-03-01", "--event-date", "2025-02-20", "--json")
    )
    assert output["eligibility"]["eligible"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((KPJ, "--reason", "holiday", "--date", "2025-03-01"), "alasan klaim 'holiday' tidak dikenal"),
        (("99999999999", "--reason", "resignation"), "KPJ 99999999999 tidak ditemukan"),
        ((KPJ, "--reason", "resignation", "--date", "1-3-2025"), "--as-of harus berformat YYYY-MM-DD"),
        ((KPJ, "--reason", "death", "--event-date", "kemarin"), "--event-date harus berformat YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_clear_error(resigned, args, message):
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("claim_estimate", *args, stdout=StringIO(), stderr=err)
    assert message in str(refused.value) + err.getvalue()
