"""Reads about phone bindings and registration attempts."""

from datetime import datetime, timedelta

from django.conf import settings

from saldo.core.bulk import fetch_all
from saldo.identity.models import PhoneBinding, RegistrationAttempt
from saldo.registry.models import Membership

# The KPJs bound to the phone given as the one parameter (unordered). A query of its own here; the
# SMS handlers ask it in the same statement as the rate limit (one round trip per message).
PHONE_KPJS_SQL = """SELECT m.kpj FROM identity_phonebinding b JOIN registry_membership m ON m.id = b.membership_id
                    WHERE b.phone = %s"""
# The memberships (id, kpj) a phone is bound to; parameter: the phone.
PHONE_MEMBERSHIPS_SQL = """SELECT m.id, m.kpj FROM identity_phonebinding b
                           JOIN registry_membership m ON m.id = b.membership_id WHERE b.phone = %s"""


def phone_kpjs(*, phone: str) -> list[str]:
    """The KPJ numbers a phone number is bound to, in KPJ order."""
    return sorted(kpj for (kpj,) in fetch_all(PHONE_KPJS_SQL, [phone]))


def phone_membership(*, phone: str, kpj: str) -> Membership | None:
    """The membership `kpj` if `phone` is bound to it, else None (also when the KPJ does not exist)."""
    binding = PhoneBinding.objects.select_related("membership__employer").filter(phone=phone, membership__kpj=kpj)
    found = binding.first()
    return found.membership if found else None


def registration_locked_until(*, phone: str, now: datetime) -> datetime | None:
    """When DAFTAR opens again for `phone`, or None if it is open: locked while the number has
    REGISTRATION_MAX_FAILURES failed attempts in the last REGISTRATION_WINDOW_HOURS."""
    limits = settings.SALDO_CHANNELS
    window = timedelta(hours=limits["REGISTRATION_WINDOW_HOURS"])
    most = limits["REGISTRATION_MAX_FAILURES"]
    recent = list(
        RegistrationAttempt.objects.filter(phone=phone, succeeded=False, at__gt=now - window, at__lte=now)
        .order_by("-at")
        .values_list("at", flat=True)[:most]
    )
    if len(recent) < most:
        return None
    # Open again once the oldest of the last `most` failures leaves the window.
    return recent[-1] + window


def account_memberships(*, person_id: int) -> list[Membership]:
    """Every KPJ card of a member's account, newest first, with its employer."""
    return list(
        Membership.objects.select_related("employer").filter(person_id=person_id).order_by("-start_date", "-kpj")
    )


def account_membership(*, person_id: int, kpj: str) -> Membership | None:
    """The card `kpj` if it belongs to this person, else None: callers answer 404 either way."""
    return Membership.objects.select_related("employer").filter(person_id=person_id, kpj=kpj).first()
