"""Who may call what, and how often: the member's Bearer token (with a per-IP limit before the
token is looked at and a per-token limit after), or an anonymous client limited per IP."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from saldo.api.ratelimit import Limit, client_ip, rate_hit
from saldo.api.selectors import Principal, access_principal


class Anonymous:
    """request.auth of an endpoint open to anyone (register, login, refresh, public key)."""

    def __init__(self, ip: str):
        self.ip = ip

    def __bool__(self) -> bool:  # ninja accepts a truthy result as "authenticated"
        return True


class ClientLimit:
    """For the endpoints without a token: counts each request against the client's IP.

    `scope` "auth" adds the tight limit of registration and login (guessing data, passwords or
    PINs) to the general per-IP limit that "public" alone applies."""

    def __init__(self, scope: str = "auth"):
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Anonymous:
        ip = client_ip(request)
        now = timezone.now()
        rate_hit(bucket=f"ip:{ip}", limit=Limit.setting("IP_RATE"), now=now)
        if self.scope == "auth":
            rate_hit(bucket=f"auth-ip:{ip}", limit=Limit.setting("AUTH_IP_RATE"), now=now)
        return Anonymous(ip)


class MemberToken(HttpBearer):
    """`Authorization: Bearer <access token>`; unknown, expired or revoked -> 401."""

    def __call__(self, request: HttpRequest) -> Principal | None:
        # The IP is counted before the token is looked up, so a flood of made-up tokens is limited too.
        rate_hit(bucket=f"ip:{client_ip(request)}", limit=Limit.setting("IP_RATE"), now=timezone.now())
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        now = timezone.now()
        principal = access_principal(token=token.strip(), now=now)
        if principal is not None:
            rate_hit(bucket=f"token:{principal.session_id}", limit=Limit.setting("TOKEN_RATE"), now=now)
        return principal
