"""What the database itself enforces beyond the model's constraints.

PostgreSQL: entries can be neither changed nor deleted; postings and accounts can't be
deleted and a posting can't be re-keyed (entries point at both without a per-row foreign-key
check, which doubled an import's time; `saldo verify-ledger` checks those references); and
accounts keep room in each page so a balance update stays in-place (a HOT update touches no
index).

SQLite: entries can't be changed. There is no delete trigger: Django's test flush empties
tables with DELETE (PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

# `%%`: schema_editor.execute passes the SQL through the driver's parameter formatting.
POSTGRES_FORWARDS = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only: %% refused; post a reversal instead', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_posting_not_deleted BEFORE DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_posting_key_fixed BEFORE UPDATE OF key ON ledger_posting
    FOR EACH ROW WHEN (NEW.key IS DISTINCT FROM OLD.key) EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_account_not_deleted BEFORE DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
ALTER TABLE ledger_account SET (fillfactor = 50);
"""
POSTGRES_BACKWARDS = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_entry;
DROP TRIGGER IF EXISTS ledger_posting_not_deleted ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_posting_key_fixed ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_account_not_deleted ON ledger_account;
DROP FUNCTION IF EXISTS ledger_refuse_change();
ALTER TABLE ledger_account RESET (fillfactor);
"""
SQLITE_FORWARDS = """CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; post a reversal instead'); END"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARDS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARDS)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_entry_no_update")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
