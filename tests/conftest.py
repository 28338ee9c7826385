import pytest


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test gets the database; most behaviour here is about what gets stored."""


@pytest.fixture
def tmp_csv(tmp_path):
    """Write a CSV file from a header and rows (strings, already comma-joined)."""

    def write(name: str, lines: list[str], *, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return str(path)

    return write
