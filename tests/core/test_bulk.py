"""Bulk loading keeps every value as it was, whatever the database."""

from datetime import date

from saldo.core import bulk


def test_rows_copy_keeps_tabs_backslashes_newlines_and_nulls():
    bulk.temp_table_create("t_copy", "line integer, name varchar(50), day date, note varchar(50)")
    rows = [(1, "PT A\\B\tC", date(2024, 1, 31), None), (2, "baris\nbaru\r", date(2024, 2, 29), "ok")]
    bulk.rows_copy("t_copy", ("line", "name", "day", "note"), rows)
    stored = bulk.fetch_all("SELECT line, name, day, note FROM t_copy ORDER BY line")
    bulk.temp_table_drop("t_copy")
    assert [(n, name, str(day), note) for n, name, day, note in stored] == [
        (1, "PT A\\B\tC", "2024-01-31", None),
        (2, "baris\nbaru\r", "2024-02-29", "ok"),
    ]
