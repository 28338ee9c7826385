"""Binding a phone number to a KPJ after the member proves who they are (SMS DAFTAR SALDO,
later WhatsApp and web), with the abuse limit on failed attempts."""

import re
import unicodedata
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saldo.core.errors import SaldoError, ValidationError
from saldo.identity.models import PhoneBinding, RegistrationAttempt
from saldo.identity.selectors import registration_locked_until
from saldo.registry.models import Membership
from saldo.registry.validators import normalize_phone, validate_phone


class RegistrationLocked(SaldoError):
    """Too many failed registrations from this number; `until` is when it opens again."""

    code = "registration_locked"

    def __init__(self, *, until: datetime):
        super().__init__(
            _("Pendaftaran dengan nomor ini dikunci sementara karena data salah terlalu sering. "
              "Silakan coba lagi nanti atau datang ke kantor cabang.")
        )
        self.until = until


class RegistrationRefused(SaldoError):
    """The data does not match the registry. Deliberately says nothing about which field."""

    code = "registration_refused"

    def __init__(self) -> None:
        super().__init__(_("data tidak cocok dengan data kepesertaan"))


def phone_register(
    *,
    phone: str,
    channel: str,
    nik: str,
    birth_date: date,
    kpj: str,
    name: str | None = None,
    email: str | None = None,
    now: datetime,
) -> PhoneBinding:
    """Bind `phone` to `kpj` when NIK, birth date, KPJ (and the name, if given) match the registry.

    Registering an already bound pair again returns the binding. The email is accepted and
    ignored: comparing it would tell a caller whether it is on file. Raises RegistrationLocked,
    RegistrationRefused (after recording the failed attempt) or ValidationError (not a mobile)."""
    normalized = normalize_phone(phone)
    if normalized is None:
        raise ValidationError(validate_phone(phone))
    until = registration_locked_until(phone=normalized, now=now)
    if until is not None:
        raise RegistrationLocked(until=until)
    membership = _matching_membership(nik=nik, birth_date=birth_date, kpj=kpj, name=name)
    if membership is None:
        # Recorded outside any savepoint of ours so that raising does not roll it back.
        RegistrationAttempt.objects.create(phone=normalized, channel=channel, at=now, succeeded=False)
        raise RegistrationRefused()
    with transaction.atomic():
        binding = _binding_get_or_create(phone=normalized, membership=membership, channel=channel, now=now)
        RegistrationAttempt.objects.create(phone=normalized, channel=channel, at=now, succeeded=True)
    return binding


def _matching_membership(*, nik: str, birth_date: date, kpj: str, name: str | None) -> Membership | None:
    membership = Membership.objects.select_related("person").filter(kpj=kpj, person__nik=nik).first()
    if membership is None or membership.person.birth_date != birth_date:
        return None
    if name is not None and not names_match(name, membership.person.name):
        return None
    return membership


def _binding_get_or_create(*, phone: str, membership: Membership, channel: str, now: datetime) -> PhoneBinding:
    try:
        with transaction.atomic():
            return PhoneBinding.objects.get_or_create(
                phone=phone, membership=membership, defaults={"channel": channel, "bound_at": now}
            )[0]
    except IntegrityError:  # the same registration arrived twice at once
        return PhoneBinding.objects.get(phone=phone, membership=membership)


# Honorifics and degrees written before or after Indonesian names (dots removed).
TITLES = frozenset(
    [
        "H", "HJ", "HJH", "HAJI", "HAJJAH", "KH", "DR", "DRS", "DRA", "DRG", "IR", "PROF", "BPK", "BAPAK", "PAK", "IBU",
        "BU", "SDR", "SDRI", "SAUDARA", "SAUDARI", "NY", "NYONYA", "TN", "TUAN", "NN", "NONA", "SE", "SH", "ST", "SKOM",
        "SPD", "SPDI", "SAG", "SSOS", "SIP", "SPSI", "SKM", "SKEP", "SFARM", "SKED", "SSI", "SSN", "SST", "STP", "SHUT",
        "SIKOM", "SKG", "SGZ", "SPOG", "SPA", "SPPD", "AMD", "AMDKEB", "AMDKEP", "AMDFARM", "AMK", "MM", "MSI", "MT",
        "MPD", "MAG", "MH", "MKOM", "MKES", "MSC", "MBA", "MPH", "PHD", "BSC",
    ]
)


def names_match(given: str, stored: str) -> bool:
    """Names compared without case, spacing, punctuation, accents or titles (Hj., Dr., S.E.)."""
    core = _name_core(given)
    return bool(core) and core == _name_core(stored)


def _name_core(name: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).upper()
    text = re.sub(r"['`\u2019]", "", text)  # MA'RUF = MARUF
    kept: list[str] = []
    for token in re.split(r"[^A-Z.]+", text):
        parts = [p for p in token.split(".") if p]
        if "".join(parts) in TITLES:  # S.E., S.Kom, Hj.
            continue
        kept += [p for p in parts if p not in TITLES]  # H.ABDUL -> ABDUL
    return "".join(kept)
