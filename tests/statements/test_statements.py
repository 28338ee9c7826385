"""A KPJ's statement: status, yearly movements per programme, month-by-month iuran, and its JSON."""

import io
import json
import re
from dataclasses import asdict
from datetime import UTC, date, datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from saldo.core.errors import NotFound
from saldo.ledger.models import EntryKind, Programme
from saldo.ledger.services import Line, posting_create, reversal_create
from saldo.portal.statement_pdf import statement_pdf
from saldo.statements.selectors import balance_summary_get, statement_get
from tests.factories import account_of, make_employer, make_member, post_contribution, post_entries

KPJ = "12345678901"
AS_OF = date(2023, 7, 20)
WAGE = 5_000_000  # JHT 185,000 + 100,000; JP 100,000 + 50,000 a month


def year_row(year, opening=0, employer=0, worker=0, returns=0, withdrawals=0, transfers=0, reversals=0,
             claim_returns=0, claim_returns_until=None):  # fmt: skip
    closing = opening + employer + worker + returns + claim_returns - withdrawals + transfers + reversals
    return {
        "year": year, "opening": opening, "employer": employer, "worker": worker, "returns": returns,
        "withdrawals": withdrawals, "transfers": transfers, "reversals": reversals, "closing": closing,
        "claim_returns": claim_returns, "claim_returns_until": claim_returns_until,
    }  # fmt: skip


@pytest.fixture
def member():
    """Joined 1 Nov 2022; paid Nov 2022-Feb 2023 and Apr 2023 (no March); 2022 returns credited;
    a partial claim with tax withheld in June 2023."""
    membership = make_member(
        kpj=KPJ, start_date=date(2022, 11, 1), employer=make_employer(npp="12345678", name="PT MAJU JAYA")
    )
    for period in ("2022-11", "2022-12", "2023-01", "2023-02", "2023-04"):
        post_contribution(membership, period, WAGE)
    jht, jp = account_of(membership, Programme.JHT), account_of(membership, Programme.JP)
    post_entries(jht, [(date(2022, 12, 31), 1_000)], key="returns:jht:2022", kind=EntryKind.RETURNS)
    post_entries(jp, [(date(2022, 12, 31), 500)], key="returns:jp:2022", kind=EntryKind.RETURNS)
    post_entries(jht, [(date(2023, 6, 10), -100_000)], key="claim:1", kind=EntryKind.WITHDRAWAL)
    post_entries(jht, [(date(2023, 6, 10), -5_000)], key="claim:1:tax", kind=EntryKind.TAX)
    return membership


def months(statement) -> list[tuple[str, int | None, bool]]:
    return [(m["period"], m["wage"], m["gap"]) for m in statement.as_json()["months"]]


# --- yearly rows -------------------------------------------------------------------------------


def test_the_jht_years_show_opening_iuran_returns_withdrawals_and_closing(member):
    years = [asdict(y) for y in statement_get(kpj=KPJ, as_of=AS_OF).programmes["JHT"].years]
    assert years == [
        year_row(2022, 0, employer=370_000, worker=200_000, returns=1_000),
        year_row(2023, 571_000, employer=555_000, worker=300_000, withdrawals=105_000),
    ]
    assert years[-1]["closing"] == 1_321_000


def test_the_jp_years_are_shown_the_same_way(member):
    years = [asdict(y) for y in statement_get(kpj=KPJ, as_of=AS_OF).programmes["JP"].years]
    assert years == [
        year_row(2022, 0, employer=200_000, worker=100_000, returns=500),
        year_row(2023, 300_500, employer=300_000, worker=150_000),
    ]


def test_each_years_closing_is_the_next_years_opening_and_the_last_is_the_balance(member):
    post_contribution(member, "2023-05", WAGE)
    statement = statement_get(kpj=KPJ, as_of=date(2025, 3, 1))
    for programme in statement.programmes.values():
        years = programme.years
        assert [y.year for y in years] == [2022, 2023, 2024, 2025]
        assert [y.opening for y in years[1:]] == [y.closing for y in years[:-1]]
        assert years[-1].closing == programme.balance


def test_the_balances_are_the_ledger_balances(member):
    statement = statement_get(kpj=KPJ, as_of=AS_OF)
    assert {name: p.balance for name, p in statement.programmes.items()} == {"JHT": 1_321_000, "JP": 750_500}


def test_a_reversal_shows_in_the_year_it_is_valued_in(member):
    reversal_create(original_key=f"test-iuran:{KPJ}:2023-04", key="koreksi:2023-04")
    years = statement_get(kpj=KPJ, as_of=AS_OF).programmes["JHT"].years
    assert asdict(years[-1]) == year_row(
        2023, 571_000, employer=555_000, worker=300_000, withdrawals=105_000, reversals=-285_000
    )
    assert statement_get(kpj=KPJ, as_of=AS_OF).programmes["JHT"].balance == 1_036_000


def test_years_without_movements_are_listed_up_to_the_as_of_year(member):
    years = statement_get(kpj=KPJ, as_of=date(2026, 1, 5)).programmes["JP"].years
    assert [(y.year, y.opening, y.closing) for y in years] == [
        (2022, 0, 300_500),
        (2023, 300_500, 750_500),
        (2024, 750_500, 750_500),
        (2025, 750_500, 750_500),
        (2026, 750_500, 750_500),
    ]


# --- returns paid with a full claim --------------------------------------------------------------

CLAIM_DAY = date(2023, 7, 10)


@pytest.fixture
def closed(member):
    """The JHT account paid out in full on 10 July 2023 by a claim that credited 4,321 of 2023's
    returns (returns.returns_due_at_closing) in its own posting, before the withdrawal."""
    jht = account_of(member)
    lines = [
        Line(jht.id, EntryKind.RETURNS, 4_321, CLAIM_DAY),
        Line(jht.id, EntryKind.WITHDRAWAL, -(1_321_000 + 4_321), CLAIM_DAY),
    ]
    posting_create(key="claim:7", lines=lines)
    return member


def test_returns_paid_with_a_claim_are_their_own_line_not_the_yearly_returns(closed):
    years = [asdict(y) for y in statement_get(kpj=KPJ, as_of=AS_OF).programmes["JHT"].years]
    assert years[-1] == year_row(
        2023, 571_000, employer=555_000, worker=300_000, withdrawals=105_000 + 1_325_321,
        claim_returns=4_321, claim_returns_until=CLAIM_DAY,
    )  # fmt: skip
    assert years[-1]["closing"] == 0


def test_the_line_says_up_to_which_month_the_claim_paid_returns(closed):
    row = statement_get(kpj=KPJ, as_of=AS_OF).programmes["JHT"].years[-1]
    assert row.claim_returns_label == "Hasil pengembangan s.d. Juli 2023 (dibayar bersama klaim)"
    with translation.override("en"):
        assert row.claim_returns_label == "Returns up to July 2023 (paid with the claim)"
    assert statement_get(kpj=KPJ, as_of=AS_OF).programmes["JP"].years[-1].claim_returns_label == ""


def test_the_years_settlement_after_the_claim_is_yearly_returns(closed):
    posting_create(key="returns:2023", lines=[Line(account_of(closed).id, EntryKind.RETURNS, 55, date(2023, 12, 31))])
    row = statement_get(kpj=KPJ, as_of=date(2024, 1, 2)).programmes["JHT"].years[1]
    assert (row.year, row.returns, row.claim_returns, row.closing) == (2023, 55, 4_321, 55)


def test_the_json_carries_the_claims_returns_with_their_date(closed):
    data = statement_get(kpj=KPJ, as_of=AS_OF).as_json()
    jht_2023 = data["programmes"]["JHT"]["years"][-1]
    assert (jht_2023["returns"], jht_2023["claim_returns"], jht_2023["claim_returns_until"]) == (0, 4_321, "2023-07-10")
    assert json.loads(json.dumps(data)) == data


def test_the_command_prints_the_claims_returns_line(closed):
    out = StringIO()
    call_command("statement", KPJ, "--as-of", "2023-07-20", stdout=out)
    assert "Hasil pengembangan s.d. Juli 2023 (dibayar bersama klaim): Rp4.321" in out.getvalue()


def test_the_pdf_prints_the_claims_returns_line(closed):
    statement = statement_get(kpj=KPJ, as_of=AS_OF)
    pdf = statement_pdf(statement=statement, name="SITI AMINAH", made_at=datetime(2023, 7, 20, tzinfo=UTC))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Hasil pengembangan s.d. Juli 2023 (dibayar bersama klaim) Rp4.321" in text


def test_the_web_page_shows_the_claims_returns_line(closed):
    statement = statement_get(kpj=KPJ, as_of=AS_OF)
    overview = SimpleNamespace(statements=[statement], merged_into={}, jht_total=0, jp_total=0)
    page = render_to_string("portal/balance.html", {"overview": overview})
    row = re.search(r'<tr>\s*<td></td>\s*<td colspan="2">([^<]*)</td>\s*<td class="num">([^<]*)</td>', page)
    assert row.groups() == ("Hasil pengembangan s.d. Juli 2023 (dibayar bersama klaim)", "Rp4.321")


# --- as of a date ------------------------------------------------------------------------------


def test_entries_valued_after_the_as_of_date_are_left_out(member):
    post_contribution(member, "2023-08", WAGE)
    post_entries(account_of(member), [(date(2023, 7, 21), 1)], key="tomorrow", kind=EntryKind.TRANSFER)
    statement = statement_get(kpj=KPJ, as_of=AS_OF)
    assert statement.programmes["JHT"].balance == 1_321_000
    assert statement.programmes["JHT"].years[-1].closing == 1_321_000
    assert statement.programmes["JP"].balance == 750_500
    assert "2023-08" not in [m["period"] for m in statement.as_json()["months"]]


def test_a_statement_as_of_an_earlier_date_shows_the_balance_then(member):
    statement = statement_get(kpj=KPJ, as_of=date(2022, 12, 31))
    assert {name: p.balance for name, p in statement.programmes.items()} == {"JHT": 571_000, "JP": 300_500}
    assert [y.year for y in statement.programmes["JHT"].years] == [2022]


# --- status and months -------------------------------------------------------------------------


def test_the_status_follows_the_last_three_complete_months(member):
    assert statement_get(kpj=KPJ, as_of=AS_OF).status == "aktif"  # April is in Apr-Jun
    assert statement_get(kpj=KPJ, as_of=date(2023, 8, 1)).status == "non-aktif"  # nothing in May-Jul


def test_the_months_show_each_wage_and_every_gap_up_to_the_last_month_due(member):
    # As of 20 July: June was due on 15 July.
    assert months(statement_get(kpj=KPJ, as_of=AS_OF)) == [
        ("2022-11", WAGE, False),
        ("2022-12", WAGE, False),
        ("2023-01", WAGE, False),
        ("2023-02", WAGE, False),
        ("2023-03", None, True),
        ("2023-04", WAGE, False),
        ("2023-05", None, True),
        ("2023-06", None, True),
    ]


def test_june_is_not_yet_a_gap_on_10_july_before_its_due_date(member):
    assert months(statement_get(kpj=KPJ, as_of=date(2023, 7, 10)))[-1] == ("2023-05", None, True)


# --- JSON --------------------------------------------------------------------------------------


def test_the_json_has_the_documented_shape(member):
    data = statement_get(kpj=KPJ, as_of=AS_OF).as_json()
    assert {"kpj", "status", "as_of", "programmes", "months"} <= set(data)
    assert (data["kpj"], data["status"], data["as_of"]) == (KPJ, "aktif", "2023-07-20")
    assert set(data["programmes"]) == {"JHT", "JP"}
    for programme in data["programmes"].values():
        assert {"balance", "years"} <= set(programme)
        for year in programme["years"]:
            assert {"year", "opening", "employer", "worker", "returns", "withdrawals", "closing"} <= set(year)
    for month in data["months"]:
        assert {"period", "wage", "employer", "worker", "gap"} <= set(month)


def test_the_json_carries_the_numbers(member):
    data = statement_get(kpj=KPJ, as_of=AS_OF).as_json()
    assert data["programmes"]["JHT"]["balance"] == 1_321_000
    assert data["programmes"]["JP"]["balance"] == 750_500
    jht_2023 = data["programmes"]["JHT"]["years"][-1]
    keys = ("year", "opening", "employer", "worker", "returns", "withdrawals", "closing")
    assert {k: jht_2023[k] for k in keys} == {
        "year": 2023, "opening": 571_000, "employer": 555_000, "worker": 300_000, "returns": 0,
        "withdrawals": 105_000, "closing": 1_321_000,
    }  # fmt: skip
    first, march = data["months"][0], data["months"][4]
    assert {k: first[k] for k in ("period", "wage", "employer", "worker", "gap")} == {
        "period": "2022-11", "wage": 5_000_000, "employer": 185_000, "worker": 100_000, "gap": False,
    }  # fmt: skip
    assert {k: march[k] for k in ("period", "wage", "employer", "worker", "gap")} == {
        "period": "2023-03", "wage": None, "employer": 0, "worker": 0, "gap": True,
    }  # fmt: skip


def test_the_json_survives_a_round_trip_through_json_text(member):
    data = statement_get(kpj=KPJ, as_of=AS_OF).as_json()
    assert json.loads(json.dumps(data)) == data


def test_a_kpj_with_no_iuran_has_a_statement_with_empty_programmes():
    make_member(kpj="10000000001", start_date=date(2024, 5, 1))
    data = statement_get(kpj="10000000001", as_of=date(2024, 5, 10)).as_json()
    assert data["status"] == "non-aktif"
    assert data["months"] == []
    assert {name: p["balance"] for name, p in data["programmes"].items()} == {"JHT": 0, "JP": 0}
    assert [y["closing"] for y in data["programmes"]["JHT"]["years"]] == [0]


def test_an_unknown_kpj_is_not_found():
    with pytest.raises(NotFound) as excinfo:
        statement_get(kpj="99999999999", as_of=AS_OF)
    assert excinfo.value.code == "kpj_not_found"


# --- through the command line ------------------------------------------------------------------


def test_statement_command_prints_the_json(member):
    out = StringIO()
    call_command("statement", KPJ, "--json", "--as-of", "2023-07-20", stdout=out)
    assert json.loads(out.getvalue()) == statement_get(kpj=KPJ, as_of=AS_OF).as_json()


def test_statement_command_prints_a_readable_statement(member):
    out = StringIO()
    call_command("statement", KPJ, "--as-of", "2023-07-20", stdout=out)
    text = out.getvalue()
    assert f"KPJ {KPJ} — status aktif per 20-07-2023" in text
    assert "JHT: saldo Rp1.321.000" in text
    assert "JP: saldo Rp750.500" in text


def test_statement_command_for_an_unknown_kpj_exits_1():
    with pytest.raises(CommandError) as excinfo:
        call_command("statement", "99999999999", "--json", stdout=StringIO(), stderr=StringIO())
    assert excinfo.value.returncode == 1
    assert "99999999999" in str(excinfo.value)


def test_statement_command_refuses_a_malformed_as_of_date(member):
    with pytest.raises(CommandError):
        call_command("statement", KPJ, "--as-of", "20-07-2023", stdout=StringIO())


def test_the_balance_summary_gives_plain_integers():
    member = make_member(kpj="10000000777", start_date=date(2024, 1, 1))
    post_contribution(member, "2024-01", 5_000_000)
    summary = balance_summary_get(kpj="10000000777", as_of=date(2024, 3, 1))
    assert (type(summary.jht), type(summary.jp)) == (int, int)
