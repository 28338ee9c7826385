import pytest


@pytest.fixture(autouse=True)
def document_root(tmp_path, settings):
    """Each test stores claim documents in its own private folder."""
    root = tmp_path / "claim-documents"
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": root}
    return root
