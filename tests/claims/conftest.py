import pytest

from tests.factories import make_claim_crew


@pytest.fixture(autouse=True)
def document_root(tmp_path, settings):
    """Each test stores claim documents in its own private folder."""
    root = tmp_path / "claim-documents"
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": root}
    return root


@pytest.fixture
def crew() -> tuple[str, str, str]:
    """Three staff in their groups, one per step: rina verifies, budi approves, sari pays
    (tests.factories.CLAIM_CREW); their actor names."""
    return make_claim_crew()
