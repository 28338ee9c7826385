"""What anyone may read: the public keys that verify digital cards."""

from django.http import HttpRequest
from ninja import Router

from saldo.api.auth import ClientLimit
from saldo.api.problems import errors
from saldo.api.schemas import PublicKeyOut, PublicKeysOut
from saldo.cards.verification import card_public_keys

router = Router(tags=["public"])

PAYLOAD_FORMAT = (
    "SALDO1.<claims>.<signature>, both base64url without padding. <claims> is canonical JSON (keys sorted, "
    "no spaces, UTF-8) of kid, kpj, name, status, iat, exp (UTC, YYYY-MM-DDTHH:MM:SSZ); <signature> is "
    "Ed25519 over the ASCII text SALDO1.<claims> with the key whose kid is in the claims."
)


@router.get("/digital-card/public-key", auth=ClientLimit("public"), response={200: PublicKeysOut, **errors(429)},
            summary="The Ed25519 public key(s) that verify digital cards offline")
def public_key(request: HttpRequest):
    keys = [PublicKeyOut(kid=k.kid, algorithm=k.algorithm, public_key=k.public_key, pem=k.pem, current=k.current)
            for k in card_public_keys()]
    return PublicKeysOut(payload_format=PAYLOAD_FORMAT, keys=keys)
