"""The raw floor: the least PostgreSQL work that turns the same wage rows into the same balances.

bench_bare_wages has no index, key or constraint; bench_bare_balances holds one row per KPJ and
programme (2N rows, JHT and JP, like ledger_account) with only its primary key. Our import
updates both programmes' balances, so the floor does too, with the same rates and rounding;
its totals must equal ours, which shows the floor is not skipping work.
"""

from datetime import date
from pathlib import Path

from django.db import connection, transaction

from saldo.contributions.rates import rates_for

WAGES = "bench_bare_wages"
BALANCES = "bench_bare_balances"
_COPY_CHUNK = 1 << 20


def tables_create() -> int:
    """Create the bare tables and fill the balances (not timed); return the balance rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {WAGES} (npp varchar(8), period varchar(7), kpj varchar(11), wage bigint)"
        )
        cursor.execute(
            f"""CREATE TABLE {BALANCES} (kpj varchar(11) NOT NULL, programme varchar(3) NOT NULL,
                balance bigint NOT NULL DEFAULT 0, PRIMARY KEY (kpj, programme))"""
        )
        cursor.execute(
            f"""INSERT INTO {BALANCES} (kpj, programme, balance)
                SELECT m.kpj, p.programme, 0 FROM registry_membership m
                CROSS JOIN (VALUES ('JHT'), ('JP')) AS p (programme)"""
        )
        return cursor.rowcount


def _half_up(base_sql: str, basis_points: int) -> str:
    # Non-negative operands: integer division after adding half the divisor rounds half up,
    # exactly like saldo.core.money.share.
    return f"(({base_sql}) * {basis_points} + 5000) / 10000"


def import_run(wages_csv: Path, period: date) -> tuple[int, int]:
    """COPY the wage report as it is, then one UPDATE of both programmes' balances.

    Returns (rows copied, balances updated)."""
    rates = rates_for(period)
    cap = rates.jp_wage_cap or 0
    jp_base = f"LEAST(w.wage, {int(cap)})"
    jht = f"{_half_up('w.wage', rates.jht_employer_bp)} + {_half_up('w.wage', rates.jht_worker_bp)}"
    jp = f"{_half_up(jp_base, rates.jp_employer_bp)} + {_half_up(jp_base, rates.jp_worker_bp)}"
    with transaction.atomic(), connection.cursor() as cursor:
        with (
            wages_csv.open("rb") as fh,
            cursor.cursor.copy(
                f"COPY {WAGES} (npp, period, kpj, wage) FROM STDIN (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := fh.read(_COPY_CHUNK):
                copy.write(chunk)
        copied = cursor.rowcount
        cursor.execute(
            f"""UPDATE {BALANCES} b
                SET balance = b.balance + CASE WHEN b.programme = 'JHT' THEN {jht} ELSE {jp} END
                FROM {WAGES} w WHERE b.kpj = w.kpj"""
        )
        return copied, cursor.rowcount


def returns_run(rate_percent_units: int, scale: int) -> int:
    """One UPDATE crediting balance × rate (rounded half up) to every bare balance; return rows updated.

    `rate_percent_units / scale` is the rate in percent, as returns_credit stores it."""
    divisor = 100 * scale
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {BALANCES} "
            f"SET balance = balance + (2 * balance * {int(rate_percent_units)} + {divisor}) / {2 * divisor}"
        )
        return cursor.rowcount


def balances_total() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(balance), 0) FROM {BALANCES}")
        return int(cursor.fetchone()[0])
