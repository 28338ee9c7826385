"""Reads about the app's sessions."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef

from saldo.api.models import ApiSession, ApiToken
from saldo.api.services import token_hash
from saldo.identity.models import AccessFreeze, MemberAccount


@dataclass(frozen=True)
class Principal:
    """Who is calling: set on request.auth for every authenticated endpoint."""

    session_id: int
    account_id: int
    person_id: int
    user_id: int
    device_id: str

    @property
    def recipient(self) -> str:
        """How the audit trail names this caller."""
        return f"user:{self.user_id}"


def access_principal(*, token: str, now: datetime) -> Principal | None:
    """The caller behind an access token, or None if it is unknown, expired or its session revoked."""
    found = (
        ApiToken.objects.filter(
            token_hash=token_hash(token),
            kind=ApiToken.Kind.ACCESS,
            expires_at__gt=now,
            session__revoked_at__isnull=True,
            session__account__user__is_active=True,  # an account an operator disabled is out at once
            session__account__person__deceased_on__isnull=True,
        )
        # A "not me" report freezes every session of the person at once.
        .exclude(Exists(AccessFreeze.objects.filter(person_id=OuterRef("session__account__person_id"),
                                                    cleared_at__isnull=True)))
        .values_list(
            "session_id", "session__account_id", "session__account__person_id", "session__account__user_id",
            "session__device_id",
        )
        .first()
    )
    return Principal(*found) if found else None


def account_sessions(*, account_id: int) -> list[ApiSession]:
    """The member's devices still logged in, most recently used first."""
    return list(ApiSession.objects.filter(account_id=account_id, revoked_at__isnull=True).order_by("-last_used_at"))


def principal_account(*, principal: Principal) -> MemberAccount:
    """The caller's account with its person and login."""
    return MemberAccount.objects.select_related("person", "user").get(id=principal.account_id)
