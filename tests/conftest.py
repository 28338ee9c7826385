import pytest

pytest_plugins = ["tests.clock"]


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test gets the database; most behaviour here is about what gets stored."""


@pytest.fixture(autouse=True)
def _claim_documents_in_tmp(settings, tmp_path):
    """Uploaded claim documents go to the test's own folder, never to data/ of the checkout."""
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": tmp_path / "claim-documents"}
    settings.SALDO_ACCOUNTS = {**settings.SALDO_ACCOUNTS, "PHOTO_ROOT": tmp_path / "identity-photos"}


@pytest.fixture(scope="session")
def snap_bank():
    """One SNAP stand-in bank on 127.0.0.1 for the whole run (tests/banking/snap_stand_in.py)."""
    from tests.banking.snap_stand_in import snap_stand_in

    with snap_stand_in() as bank:
        yield bank


@pytest.fixture(autouse=True)
def bank(snap_bank, settings):
    """Every test's claims ask that bank who holds an account. It knows the accounts the test
    opens (`bank.open(name)`, or factories.bank_account_open) and no others."""
    snap_bank.reset()
    settings.SALDO_BANK_INQUIRY = snap_bank.config()
    yield snap_bank
    snap_bank.reset()


@pytest.fixture
def tmp_csv(tmp_path):
    """Write a CSV file from a header and rows (strings, already comma-joined)."""

    def write(name: str, lines: list[str], *, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return str(path)

    return write


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests need PostgreSQL; on SQLite they are skipped (CI runs the
    suite on both, so they always run there)."""
    if item.get_closest_marker("postgres"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
