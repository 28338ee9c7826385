"""Reads about phone bindings and registration attempts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef

from saldo.core.bulk import fetch_all
from saldo.identity.models import AccessFreeze, MemberAccount, PhoneBinding, RegistrationAttempt
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


@dataclass(frozen=True)
class AttemptKeys:
    """What a registration is counted against: the sender's number, the KPJ and NIK typed, and the
    client address (blank where the channel has none); all but the number as keyed hashes
    (identity.services.registration_keys)."""

    phone: str = ""
    kpj: str = ""
    nik: str = ""
    client: str = ""


def registration_locked_until(*, keys: AttemptKeys, now: datetime) -> datetime | None:
    """When registration opens again for these keys, or None if it is open: locked while the
    number, the KPJ or the NIK has REGISTRATION_MAX_FAILURES failures in the last
    REGISTRATION_WINDOW_HOURS, or the client address REGISTRATION_CLIENT_MAX_FAILURES in the last
    REGISTRATION_CLIENT_WINDOW_MINUTES, on any channel. A stranger who knows someone's KPJ can
    hold that KPJ's registration for a window; they cannot open anything."""
    limits = settings.SALDO_CHANNELS
    window = timedelta(hours=limits["REGISTRATION_WINDOW_HOURS"])
    counted = [(field, value, limits["REGISTRATION_MAX_FAILURES"], window)
               for field, value in (("phone", keys.phone), ("kpj", keys.kpj), ("nik", keys.nik)) if value]
    if keys.client:
        counted.append(("client", keys.client, limits["REGISTRATION_CLIENT_MAX_FAILURES"],
                        timedelta(minutes=limits["REGISTRATION_CLIENT_WINDOW_MINUTES"])))
    opens = [_open_again(field, value, most, window, now) for field, value, most, window in counted]
    opens = [until for until in opens if until is not None]
    return max(opens) if opens else None


def _open_again(field: str, value: str, most: int, window: timedelta, now: datetime) -> datetime | None:
    recent = list(
        RegistrationAttempt.objects.filter(**{field: value}, succeeded=False, at__gt=now - window, at__lte=now)
        .order_by("-at")
        .values_list("at", flat=True)[:most]
    )
    # Open again once the oldest of the last `most` failures leaves the window.
    return recent[-1] + window if len(recent) >= most else None


def account_memberships(*, person_id: int) -> list[Membership]:
    """Every KPJ card of a member's account, newest first, with its employer."""
    return list(
        Membership.objects.select_related("employer").filter(person_id=person_id).order_by("-start_date", "-kpj")
    )


def account_membership(*, person_id: int, kpj: str) -> Membership | None:
    """The card `kpj` if it belongs to this person, else None: callers answer 404 either way."""
    return Membership.objects.select_related("employer").filter(person_id=person_id, kpj=kpj).first()


def account_with_freeze(*, user_id: int) -> MemberAccount | None:
    """The member account of a logged-in user with its person, and `frozen` (a "not me" report
    holds), in one query: the portal asks it on every page."""
    live = AccessFreeze.objects.filter(person_id=OuterRef("person_id"), cleared_at__isnull=True)
    return (
        MemberAccount.objects.select_related("user", "person").filter(user_id=user_id)
        .annotate(frozen=Exists(live)).first()
    )


def person_frozen(*, person_id: int) -> bool:
    """Whether a "not me" report froze this person's online access and claims (until staff clear it)."""
    return AccessFreeze.objects.filter(person_id=person_id, cleared_at__isnull=True).exists()


def person_bindings(*, person_id: int) -> list[PhoneBinding]:
    """The numbers bound to the person's KPJs (SMS and WhatsApp), newest first."""
    return list(
        PhoneBinding.objects.select_related("membership")
        .filter(membership__person_id=person_id)
        .order_by("-bound_at", "-id")
    )
