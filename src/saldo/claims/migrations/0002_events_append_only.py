"""Claim events are the audit trail of who did what: the database refuses to change them.

PostgreSQL: no UPDATE or DELETE (the ledger's refusing function, ledger 0002). SQLite: no
UPDATE (no delete trigger: Django's test flush empties tables with DELETE there).
"""

from django.db import migrations

POSTGRES_FORWARDS = """
CREATE TRIGGER claims_claimevent_append_only BEFORE UPDATE OR DELETE ON claims_claimevent
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
POSTGRES_BACKWARDS = "DROP TRIGGER IF EXISTS claims_claimevent_append_only ON claims_claimevent;"
SQLITE_FORWARDS = """CREATE TRIGGER claims_claimevent_no_update BEFORE UPDATE ON claims_claimevent
    BEGIN SELECT RAISE(ABORT, 'claim events are append-only'); END"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARDS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARDS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS claims_claimevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("ledger", "0002_database_guards")]
    operations = [migrations.RunPython(forwards, backwards)]
