"""Hot-path statements (those every SMS runs) as prepared statements on PostgreSQL.

Django binds parameters on the client and sends each statement as new text, so PostgreSQL
parses and plans it every time; for short statements planning costs more than running them
(the balance summary: about 0.7 ms of planning, 0.1 ms of running). Here PostgreSQL gets the
statement with server-side parameters and prepares it on first use in each connection (psycopg
keeps the prepared statements of a connection, and CONN_MAX_AGE keeps the connection). Other
databases run the statement as fetch_all does.

Needs OPTIONS["prepare_threshold"] set (settings.py): Django turns psycopg's preparing off by
default, for connection poolers in transaction mode, which this service does not use.
"""

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from saldo.core.bulk import fetch_all

_local = threading.local()  # this thread's cursor; Django's connections are per thread too


def fetch_prepared(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows of `sql` (empty for a statement without RETURNING), with %s parameters; in the
    current transaction if there is one, as Django's cursor would run it."""
    db = connections[DEFAULT_DB_ALIAS]  # one look-up: each `connection.x` is one through a thread-local
    if db.vendor != "postgresql":
        return fetch_all(sql, params)
    raw = _connected(db)
    cursor = _cursor(raw)
    with db.wrap_database_errors:
        cursor.execute(sql, params, prepare=True)
        if raw.pgconn.pipeline_status:  # in statements_together: nothing is known before the fetch
            return cursor.fetchall()
        return cursor.fetchall() if cursor.description else []


@contextmanager
def statements_together() -> Iterator[None]:
    """Inside, a statement started with `fetch_prepared_later` does not wait for its rows: the
    next one is sent behind it, and the first fetch waits for both. Several reads, one round trip
    (psycopg's pipeline mode). Elsewhere than on PostgreSQL the statements run one by one."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        yield
        return
    with db.wrap_database_errors, _connected(db).pipeline():
        yield


class Later:
    """A statement sent by fetch_prepared_later; `rows()` waits for its rows."""

    def __init__(self, sql: str, params: Sequence) -> None:
        self._db = connections[DEFAULT_DB_ALIAS]
        self._rows: list[tuple] | None = None
        self._cursor: psycopg.Cursor | None = None
        raw = self._db.connection if self._db.vendor == "postgresql" else None
        if raw is None or not raw.pgconn.pipeline_status:  # not inside statements_together: run it now
            self._rows = fetch_prepared(sql, params)
            return
        self._cursor = psycopg.Cursor(raw)  # its own: the rows stay on it until rows() is called
        with self._db.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def rows(self) -> list[tuple]:
        if self._rows is None:
            with self._db.wrap_database_errors, self._cursor as cursor:
                self._rows = cursor.fetchall()
        return self._rows


def fetch_prepared_later(sql: str, params: Sequence = ()) -> Later:
    """fetch_prepared for a SELECT, sent at once and read with `.rows()`: inside
    statements_together, the statements after it go out before its rows come back."""
    return Later(sql, params)


def _connected(db: BaseDatabaseWrapper) -> psycopg.Connection:
    if db.connection is None:
        db.ensure_connection()
    db.validate_no_broken_transaction()
    return db.connection


def _cursor(raw: psycopg.Connection) -> psycopg.Cursor:
    """A server-binding cursor on `raw`, kept while `raw` is the connection: a new one per
    statement costs as much as a third of running a short one."""
    cursor = getattr(_local, "cursor", None)
    if cursor is None or cursor.connection is not raw or cursor.closed:
        cursor = _local.cursor = psycopg.Cursor(raw)
    return cursor
