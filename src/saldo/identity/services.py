"""Binding a phone number to a KPJ after the member proves who they are (SMS DAFTAR SALDO, WhatsApp),
anchored on the contacts on record, with the abuse limits on failed attempts."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saldo.channels.models import Channel
from saldo.core.errors import FieldError, NotFound, SaldoError, ValidationError
from saldo.core.masking import phone_masked
from saldo.core.periods import wib
from saldo.core.throttle import throttle_key
from saldo.identity.models import OneTimePin, PhoneBinding, PhoneBindingEnded, RegistrationAttempt, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.pins import PinExpired, pin_issue, pin_verify
from saldo.identity.selectors import AttemptKeys, person_frozen, registration_locked_until
from saldo.registry.models import Membership, Person
from saldo.registry.validators import normalize_phone, validate_phone
from saldo.staff.roles import Role
from saldo.staff.services import role_required, staff_user_get


class RegistrationLocked(SaldoError):
    """Too many failed registrations with this number, KPJ, NIK or address; `until` is when it opens again."""

    code = "registration_locked"

    def __init__(self, *, until: datetime):
        super().__init__(
            _("Pendaftaran dikunci sementara karena data salah terlalu sering. Silakan coba lagi setelah "
              "%(until)s WIB atau datang ke kantor cabang.") % {"until": wib(until)}
        )
        self.until = until


class RegistrationRefused(SaldoError):
    """The data does not match the registry. Deliberately says nothing about which field."""

    code = "registration_refused"

    def __init__(self) -> None:
        super().__init__(_("data tidak cocok dengan data kepesertaan"))


class ContactNotOnRecord(SaldoError):
    """The identity matched, but the phone or email typed is not the one on record (or the record
    has none): nothing opens; the member is led to the contact change. Never says what is on record."""

    code = "contact_not_on_record"

    def __init__(self) -> None:
        super().__init__(
            _("Nomor ponsel atau email yang Anda isi tidak sama dengan yang tercatat pada data kepesertaan "
              "Anda. Jika nomor atau email Anda sudah berganti, ajukan perubahan data kontak dengan foto "
              "e-KTP dan swafoto.")
        )


class NoPhoneOnRecord(SaldoError):
    """No phone on record to send a PIN to: the member asks for a contact change first."""

    code = "no_phone_on_record"

    def __init__(self) -> None:
        super().__init__(
            _("Tidak ada nomor ponsel tercatat untuk data ini. Ajukan perubahan data kontak di situs Saldo "
              "atau kantor cabang.")
        )


class AccessFrozen(SaldoError):
    """A "not me" report froze the person's online access and claims until staff clear it."""

    code = "access_frozen"

    def __init__(self) -> None:
        super().__init__(
            _("Akses online dan klaim untuk data kepesertaan ini dibekukan karena laporan \"bukan saya\". "
              "Hubungi kantor cabang atau layanan pelanggan untuk membukanya.")
        )


@dataclass(frozen=True)
class BindingPending:
    """A PIN went to the phone on record; the sender types it back to be bound."""

    sent_to: str  # masked
    kpj: str


def registration_keys(*, phone: str = "", kpj: str = "", nik: str = "", client: str = "") -> AttemptKeys:
    """What a registration counts against; KPJ, NIK and address as keyed hashes."""

    def hashed(kind: str, value: str) -> str:
        return throttle_key(f"registration:{kind}", value) if value.strip() else ""

    return AttemptKeys(
        phone=phone or "", kpj=hashed("kpj", kpj), nik=hashed("nik", nik), client=hashed("client", client)
    )


def attempt_record(*, keys: AttemptKeys, channel: str, now: datetime, succeeded: bool) -> None:
    """Count one registration (outside any savepoint of the caller's, so that raising after it
    does not roll it back when the caller is not in a transaction)."""
    RegistrationAttempt.objects.create(
        phone=keys.phone, kpj=keys.kpj, nik=keys.nik, client=keys.client, channel=channel, at=now, succeeded=succeeded
    )


def registration_check(*, keys: AttemptKeys, channel: str, now: datetime, nik: str, birth_date: date, kpj: str,
                       name: str | None, mother_maiden_name: str | None = None) -> Membership:
    """The membership these identity data name, for a registration on any channel.

    Raises RegistrationLocked (too many failures for any key), RegistrationRefused (no match, or
    the person has died; the failure is counted) or AccessFrozen."""
    until = registration_locked_until(keys=keys, now=now)
    if until is not None:
        raise RegistrationLocked(until=until)
    membership = identity_match(
        nik=nik, birth_date=birth_date, kpj=kpj, name=name, mother_maiden_name=mother_maiden_name
    )
    if membership is None or membership.person.deceased_on is not None:
        attempt_record(keys=keys, channel=channel, now=now, succeeded=False)
        raise RegistrationRefused()
    if person_frozen(person_id=membership.person_id):
        raise AccessFrozen()
    return membership


def identity_match(*, nik: str, birth_date: date, kpj: str, name: str | None,
                   mother_maiden_name: str | None = None) -> Membership | None:
    """The membership `kpj` when NIK, birth date (and the name and mother's name, if given) are its person's."""
    membership = Membership.objects.select_related("person").filter(kpj=kpj.strip(), person__nik=nik.strip()).first()
    if membership is None or membership.person.birth_date != birth_date:
        return None
    if name is not None and not names_match(name, membership.person.name):
        return None
    if mother_maiden_name is not None and not names_match(mother_maiden_name, membership.person.mother_maiden_name):
        return None
    return membership


def phone_register(
    *,
    phone: str,
    channel: str,
    nik: str,
    birth_date: date,
    kpj: str,
    name: str | None = None,
    mother_maiden_name: str | None = None,
    email: str | None = None,
    now: datetime,
) -> PhoneBinding | BindingPending:
    """Bind `phone` to `kpj` for SMS and WhatsApp when the identity data match the registry.

    An SMS from the phone on record proves that number: it is bound at once. Any other number
    (and any WhatsApp number: a WhatsApp account can outlive a recycled SIM) gets a PIN sent by SMS
    to the phone on record, and is bound by `binding_confirm` when the PIN is typed back. The
    owner is told of every new binding on every contact on record.

    The email is accepted and ignored: comparing it would tell a caller whether it is on file.
    Raises RegistrationLocked, RegistrationRefused, AccessFrozen, NoPhoneOnRecord, PinRateLimited
    or ValidationError (not a mobile)."""
    normalized = normalize_phone(phone)
    if normalized is None:
        raise ValidationError(validate_phone(phone))
    keys = registration_keys(phone=normalized, kpj=kpj, nik=nik)
    membership = registration_check(keys=keys, channel=channel, now=now, nik=nik, birth_date=birth_date, kpj=kpj,
                                    name=name, mother_maiden_name=mother_maiden_name)
    person = membership.person
    if channel == Channel.SMS and normalized == person.phone:
        with transaction.atomic():
            binding = _bind(phone=normalized, membership=membership, channel=channel, now=now)
            attempt_record(keys=keys, channel=channel, now=now, succeeded=True)
        return binding
    if not person.phone:
        raise NoPhoneOnRecord()
    with transaction.atomic():
        pin_issue(purpose=OneTimePin.Purpose.BINDING, subject=binding_subject(phone=normalized, membership=membership),
                  phone=person.phone, now=now,
                  text=binding_pin_text(phone=normalized, kpj=membership.kpj))
        attempt_record(keys=keys, channel=channel, now=now, succeeded=True)
    return BindingPending(sent_to=phone_masked(person.phone), kpj=membership.kpj)


def binding_confirm(*, phone: str, code: str, channel: str, now: datetime) -> PhoneBinding:
    """Bind `phone` with the PIN the phone on record received for it (phone_register).

    Raises PinExpired (no PIN waiting for this number), PinWrong or PinExhausted."""
    pending = (
        OneTimePin.objects.filter(purpose=OneTimePin.Purpose.BINDING, subject__startswith=f"bind:{phone}:",
                                  used_at__isnull=True, expires_at__gt=now)
        .order_by("-issued_at", "-id")
        .first()
    )
    if pending is None:
        raise PinExpired()
    pin_verify(purpose=OneTimePin.Purpose.BINDING, subject=pending.subject, code=code, now=now)
    membership = Membership.objects.select_related("person").get(id=int(pending.subject.rsplit(":", 1)[1]))
    if membership.person.deceased_on is not None or person_frozen(person_id=membership.person_id):
        raise AccessFrozen()
    with transaction.atomic():
        return _bind(phone=phone, membership=membership, channel=channel, now=now)


def binding_subject(*, phone: str, membership: Membership) -> str:
    return f"bind:{phone}:{membership.id}"


def binding_pin_text(*, phone: str, kpj: str) -> Callable[[str, int], str]:
    """The SMS the phone on record gets: which number asks to be bound to which KPJ, and the PIN."""

    def text(code: str, minutes: int) -> str:
        return _(
            "PIN Saldo %(code)s untuk mendaftarkan nomor %(phone)s ke KPJ %(kpj)s. Berlaku %(minutes)d menit. "
            "Bukan Anda? Abaikan dan JANGAN berikan PIN ini."
        ) % {"code": code, "phone": phone_masked(phone), "kpj": kpj, "minutes": minutes}

    return text


def bindings_end(
    *, person_id: int, now: datetime, reason: str, keep_phone: str | None = None, only_phone: str | None = None
) -> int:
    """End the person's bound numbers (all but `keep_phone`, or only `only_phone`), keeping each in
    PhoneBindingEnded."""
    with transaction.atomic():
        live = PhoneBinding.objects.select_for_update().filter(membership__person_id=person_id)
        if keep_phone:
            live = live.exclude(phone=keep_phone)
        if only_phone:
            live = live.filter(phone=only_phone)
        ended = list(live)
        PhoneBindingEnded.objects.bulk_create(
            PhoneBindingEnded(phone=b.phone, membership_id=b.membership_id, channel=b.channel, bound_at=b.bound_at,
                              ended_at=now, reason=reason)
            for b in ended
        )
        PhoneBinding.objects.filter(id__in=[b.id for b in ended]).delete()
    return len(ended)


def binding_end(*, person_id: int, binding_id: int, now: datetime) -> PhoneBindingEnded:
    """The member ends one of their bound numbers (account settings); another person's is not found."""
    with transaction.atomic():
        binding = (
            PhoneBinding.objects.select_for_update().filter(id=binding_id, membership__person_id=person_id).first()
        )
        if binding is None:
            raise NotFound(_("Nomor terdaftar tidak ditemukan."), code="binding_not_found")
        ended = PhoneBindingEnded.objects.create(phone=binding.phone, membership_id=binding.membership_id,
                                                 channel=binding.channel, bound_at=binding.bound_at, ended_at=now,
                                                 reason="member")
        binding.delete()
    return ended


def death_record(*, person_id: int, died_on: date, channel: str, now: datetime) -> bool:
    """The person died on `died_on` (a death claim staff verified, or a clerk's record): no log-in,
    no new binding, no claim but the heirs' from now on; the numbers bound to their cards are ended
    and the contacts on record told. Recording it again changes nothing (False)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(id=person_id)
        if person.deceased_on is not None:
            return False
        person.deceased_on = died_on
        person.save(update_fields=["deceased_on"])
        if bindings_end(person_id=person_id, now=now, reason="death"):
            security_notice(person=person, kind=SecurityEvent.Kind.BINDINGS_ENDED, channel=channel, now=now,
                            reason=_("peserta meninggal dunia"))
    return True


def death_record_by_staff(*, person_id: int, died_on: date, actor: str, now: datetime) -> bool:
    """A registry clerk records a death (from the civil registry's certificate, at a branch)."""
    role_required(staff_user_get(actor), Role.REGISTRY_CLERK)
    if died_on > timezone.localdate(now):
        raise ValidationError([FieldError("died_on", _("tanggal meninggal di masa depan"))])
    return death_record(person_id=person_id, died_on=died_on, channel="staff", now=now)


def _bind(*, phone: str, membership: Membership, channel: str, now: datetime) -> PhoneBinding:
    binding, created = _binding_get_or_create(phone=phone, membership=membership, channel=channel, now=now)
    if created:
        security_notice(person=membership.person, kind=SecurityEvent.Kind.NUMBER_BOUND, channel=channel, now=now,
                        phone=phone_masked(phone), kpj=membership.kpj)
    return binding


def _binding_get_or_create(*, phone: str, membership: Membership, channel: str, now: datetime):
    try:
        with transaction.atomic():
            return PhoneBinding.objects.get_or_create(
                phone=phone, membership=membership, defaults={"channel": channel, "bound_at": now}
            )
    except IntegrityError:  # the same registration arrived twice at once
        return PhoneBinding.objects.get(phone=phone, membership=membership), False


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
