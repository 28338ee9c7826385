"""Set-based SQL helpers that differ between PostgreSQL and SQLite.

Bulk work loads rows into a temporary staging table (COPY on PostgreSQL, executemany on
SQLite) and then does everything else as INSERT … SELECT / UPDATE … FROM statements."""

from collections.abc import Iterable, Sequence

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def temp_table_create(name: str, columns_sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns_sql})")


def temp_table_drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def rows_copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Load rows into `table`: COPY on PostgreSQL, one executemany on SQLite."""
    with connection.cursor() as cursor:
        if is_postgres():
            cols = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                # Text lines written in large chunks: per-row write_row calls cost as much
                # as the rest of an import's Python work.
                lines = []
                for row in rows:
                    lines.append("\t".join(map(_copy_text, row)))
                    if len(lines) >= 10_000:
                        copy.write("\n".join(lines) + "\n")
                        lines.clear()
                if lines:
                    copy.write("\n".join(lines) + "\n")
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """One value in COPY's text format: NULL as \\N, backslash, tab and newlines escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # int, date (ISO), Decimal


def month_of(column: str) -> str:
    """SQL for the month number (1-12) of a date column."""
    if is_postgres():
        return f"EXTRACT(MONTH FROM {column})::int"
    return f"CAST(strftime('%m', {column}) AS INTEGER)"


def fetch_all(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def int_div(numerator: str, denominator: str) -> str:
    """SQL for integer division truncating toward zero (PostgreSQL's SUM(bigint) is numeric)."""
    if is_postgres():
        return f"CAST(div({numerator}, {denominator}) AS bigint)"
    return f"(({numerator}) / ({denominator}))"


def tune_for_bulk() -> None:
    """Inside a bulk transaction on PostgreSQL: enough sort/hash memory that aggregates over
    millions of rows do not spill to disk (the default 4MB made them)."""
    if is_postgres():
        execute("SET LOCAL work_mem = '256MB'")
