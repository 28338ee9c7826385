import pytest


@pytest.fixture(autouse=True)
def card_key_file(settings, tmp_path):
    """Each test signs with a key made in its own directory, never with one under data/."""
    settings.SALDO_API = {**settings.SALDO_API, "CARD_SIGNING_KEY": "", "CARD_KEY_FILE": tmp_path / "card-key.pem"}
    return tmp_path / "card-key.pem"
