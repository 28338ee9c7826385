"""The dedicated benchmark database: created fresh for every run, never the developer's database."""

from dataclasses import dataclass

import dj_database_url
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/saldo_bench"
MAINTENANCE_DB = "postgres"
# Databases a benchmark must never drop, whatever URL it is given.
PROTECTED_NAMES = frozenset({"postgres", "template0", "template1"})


class BenchDatabaseError(Exception):
    pass


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    name: str
    host: str
    port: str

    @classmethod
    def from_url(cls, url: str) -> "BenchDatabase":
        parsed = dj_database_url.parse(url)
        if parsed["ENGINE"] != "django.db.backends.postgresql":
            raise BenchDatabaseError(f"the benchmark needs a PostgreSQL URL, not {url}")
        name = parsed["NAME"]
        if not name or name in PROTECTED_NAMES:
            raise BenchDatabaseError(f"refusing to use database {name!r} for the benchmark")
        return cls(url=url, name=name, host=parsed["HOST"] or "localhost", port=str(parsed["PORT"] or 5432))

    def same_as(self, settings_dict: dict) -> bool:
        """Whether a Django DATABASES entry points at this database (same server, same name)."""
        if settings_dict.get("ENGINE") != "django.db.backends.postgresql":
            return False
        host = settings_dict.get("HOST") or "localhost"
        port = str(settings_dict.get("PORT") or 5432)
        same_host = host == self.host or (_local(host) and _local(self.host))
        return same_host and port == self.port and settings_dict.get("NAME") == self.name

    def _maintenance(self) -> psycopg.Connection:
        # CREATE/DROP DATABASE cannot run inside a transaction, nor while connected to the target.
        return psycopg.connect(make_conninfo(self.url, dbname=MAINTENANCE_DB), autocommit=True)

    def recreate(self) -> None:
        with self._maintenance() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        with self._maintenance() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))


def _local(host: str) -> bool:
    """This machine: by name, by loopback address or by a Unix socket directory."""
    return host in {"localhost", "127.0.0.1", "::1", ""} or host.startswith("/")
