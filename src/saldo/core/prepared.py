"""Hot-path statements (those every SMS runs) as prepared statements on PostgreSQL, handed
straight to libpq.

Django binds parameters on the client and sends each statement as new text, so PostgreSQL
parses and plans it every time; for short statements planning costs more than running them
(the balance summary: about 0.7 ms of planning, 0.1 ms of running). Here PostgreSQL gets the
statement with server-side parameters, prepared on first use in each connection (CONN_MAX_AGE
keeps the connection, and with it the prepared statements). Other databases run the statement
as fetch_all does.

The statement goes to the psycopg connection's libpq handle (`pgconn`), not through a psycopg
cursor: a cursor's generators and waits cost as much Python again as all that is left here,
which is psycopg dumping the parameters, one blocking libpq call (it lets go of the GIL while
PostgreSQL works) and psycopg loading the rows, so the values are those a cursor gives. What a
cursor does besides: begin the transaction of a connection that is not in autocommit mode, so a
statement that would have to begin one goes through a cursor; and keep its own prepared
statements, which it deallocates, all of them and ours with them, after every rollback. That is
why psycopg prepares nothing here (settings: prepare_threshold None), and why a statement found
missing anyway (a DEALLOCATE ALL or DISCARD ALL from elsewhere) is prepared again.
"""

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer

from saldo.core.bulk import fetch_all

_local = threading.local()  # this thread's _Statements; Django's connections are per thread too

_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_COMMAND_OK = pq.ExecStatus.COMMAND_OK
_IDLE = pq.TransactionStatus.IDLE


def fetch_prepared(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows of `sql` (empty for a statement without RETURNING), with %s parameters; in the
    current transaction if there is one, as Django's cursor would run it."""
    db = connections[DEFAULT_DB_ALIAS]  # one look-up: each `connection.x` is one through a thread-local
    if db.vendor != "postgresql":
        return fetch_all(sql, params)
    raw = _connected(db)
    with db.wrap_database_errors:
        if not raw.autocommit and raw.pgconn.transaction_status == _IDLE:
            with psycopg.Cursor(raw) as cursor:  # it begins the transaction first
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        return _statements(raw).fetch(sql, params)


def _connected(db: BaseDatabaseWrapper) -> psycopg.Connection:
    if db.connection is None:
        db.ensure_connection()
    db.validate_no_broken_transaction()
    return db.connection


class _Statements:
    """The statements prepared on one connection, by name, and a Transformer (psycopg's) that
    dumps parameters and loads rows for it."""

    def __init__(self, raw: psycopg.Connection) -> None:
        self.raw = raw
        self.pgconn = raw.pgconn
        self.tx = Transformer(raw)
        self.encoding = raw.info.encoding
        self.names: dict[tuple[str, tuple[int, ...]], bytes] = {}
        self.made = 0

    def fetch(self, sql: str, params: Sequence) -> list[tuple]:
        query, count = _numbered(sql)
        if len(params) != count:
            raise psycopg.ProgrammingError(f"the statement takes {count} parameters, {len(params)} given")
        with self.raw.lock:
            values = self.tx.dump_sequence(params, [PyFormat.AUTO] * count)
            types = tuple(self.tx.types or ())
            formats = self.tx.formats
            key = (sql, types)  # psycopg dumps an int as int2, int4, int8 or numeric by its size
            try:
                return self._rows(self.pgconn.exec_prepared(self._name(key, query), values, formats))
            except errors.InvalidSqlStatementName:
                self.names.clear()  # deallocated behind our back: all of them, most likely
                if not self.raw.autocommit:
                    raise  # the transaction is aborted now
            return self._rows(self.pgconn.exec_prepared(self._name(key, query), values, formats))

    def _name(self, key: tuple[str, tuple[int, ...]], query: bytes) -> bytes:
        name = self.names.get(key)
        if name is None:
            name = f"saldo_{self.made}".encode()
            self.made += 1
            self._rows(self.pgconn.prepare(name, query, key[1]))
            self.names[key] = name
        return name

    def _rows(self, result: pq.PGresult) -> list[tuple]:
        status = result.status
        if status == _TUPLES_OK:
            self.tx.set_pgresult(result)
            return self.tx.load_rows(0, result.ntuples, tuple)
        if status == _COMMAND_OK:
            return []
        raise errors.error_from_result(result, encoding=self.encoding)


def _statements(raw: psycopg.Connection) -> _Statements:
    statements = getattr(_local, "statements", None)
    if statements is None or statements.raw is not raw:
        statements = _local.statements = _Statements(raw)
    return statements


@lru_cache(maxsize=256)
def _numbered(sql: str) -> tuple[bytes, int]:
    """`sql` with %s as $1, $2, … and %% as %; and how many parameters it takes."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql).encode(), count


_PLACEHOLDER = re.compile(r"%([s%])")
