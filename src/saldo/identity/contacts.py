"""Changing the contacts on record when the member lost the old number or email.

The member (web or app, no log-in needed: they may have no working contact) or a clerk at a branch
asks with the identity data, the new phone and/or email, a photo of the e-KTP and a selfie holding
it. The old contacts on record are told at once. A registry clerk who did not enter the request
approves or rejects it, seeing the member's data beside the photos; an approved change takes
effect only after the cooling-off period (SALDO_ACCOUNTS["CONTACT_CHANGE_COOLING_HOURS"]), during
which "not me" from the old contacts cancels it (identity.freezes). `contact_changes_apply`, run by
`saldo apply-contact-changes` from cron, makes the due ones effective.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from saldo.core.errors import FieldError, NotFound, SaldoError, ValidationError
from saldo.core.masking import email_masked, phone_masked
from saldo.core.private_files import image_type, private_path, private_store
from saldo.identity.models import ContactChange, SecurityEvent
from saldo.identity.notices import security_notice
from saldo.identity.services import bindings_end, registration_check, registration_keys
from saldo.registry.models import Person
from saldo.registry.validators import normalize_phone, validate_phone
from saldo.staff.roles import Role
from saldo.staff.services import STAFF_PREFIX, four_eyes_check, role_required, staff_user_get

Status = ContactChange.Status
Kind = SecurityEvent.Kind


class ContactChangeOpen(SaldoError):
    code = "contact_change_open"

    def __init__(self) -> None:
        super().__init__(
            _("Permintaan perubahan kontak Anda yang sebelumnya masih diproses. Tunggu hasilnya sebelum mengajukan "
              "lagi.")
        )


class ContactChangeStateError(SaldoError):
    code = "contact_change_state"


@dataclass(frozen=True)
class Photo:
    """An uploaded photo as a channel received it."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ContactChangeRequest:
    kpj: str
    nik: str
    birth_date: date
    name: str
    mother_maiden_name: str
    phone: str  # the new phone, or blank to keep the one on record
    email: str  # the new email, or blank to keep the one on record
    ktp_photo: Photo
    selfie_photo: Photo


def photo_root() -> Path:
    return Path(settings.SALDO_ACCOUNTS["PHOTO_ROOT"])


def contact_change_request(
    *, request: ContactChangeRequest, channel: str, entered_by: str, now: datetime, client: str = ""
) -> ContactChange:
    """Record a request to change the contacts on record; the old contacts are told at once.
    `entered_by`: `member:<channel>`, or a registry clerk (`staff:<username>`) at a branch.

    The identity data are checked as a registration's (a mismatch counts towards the same
    lockout). Raises ValidationError (phone, email, photos), RegistrationLocked,
    RegistrationRefused, AccessFrozen, ContactChangeOpen or StaffRoleRequired."""
    if entered_by.startswith(STAFF_PREFIX):
        role_required(staff_user_get(entered_by), Role.REGISTRY_CLERK)
    phone, email = _new_contacts(request)
    photos = _photos(request)
    keys = registration_keys(phone=phone, kpj=request.kpj, nik=request.nik, client=client)
    membership = registration_check(
        keys=keys, channel=channel, now=now, nik=request.nik, birth_date=request.birth_date, kpj=request.kpj,
        name=request.name, mother_maiden_name=request.mother_maiden_name,
    )
    person = membership.person
    _check_new_contacts(person, phone=phone, email=email)
    with transaction.atomic():
        Person.objects.select_for_update().filter(id=person.id).first()
        if ContactChange.objects.filter(person=person, status__in=ContactChange.OPEN).exists():
            raise ContactChangeOpen()
        stored = [private_store(root=photo_root(), content=content, extension=kind.extension)
                  for content, kind in photos]
        change = ContactChange.objects.create(
            person=person, phone=phone, email=email, old_phone=person.phone, old_email=person.email,
            channel=channel, entered_by=entered_by[:100], requested_at=now, ktp_photo=stored[0],
            selfie_photo=stored[1],
        )
        security_notice(person=person, kind=Kind.CONTACT_CHANGE_REQUESTED, channel=channel, now=now,
                        phone=phone_masked(phone or person.phone))
    return change


def contact_change_approve(*, change_id: int, actor: str, now: datetime) -> ContactChange:
    """A registry clerk approves: the change takes effect once the cooling-off period is over.
    Raises StaffRoleRequired (not a registry clerk) or FourEyesViolation (the clerk entered it)."""
    role_required(staff_user_get(actor), Role.REGISTRY_CLERK)
    with transaction.atomic():
        change = _locked(change_id)
        _require(change, Status.WAITING)
        four_eyes_check(actor=actor, done_by=[change.entered_by], message=_(
            "Perubahan kontak harus disetujui petugas lain, bukan yang memasukkannya (prinsip empat mata)."))
        hours = settings.SALDO_ACCOUNTS["CONTACT_CHANGE_COOLING_HOURS"]
        change.status, change.reviewed_by, change.reviewed_at = Status.APPROVED, actor[:100], now
        change.effective_at = now + timedelta(hours=hours)
        change.save(update_fields=["status", "reviewed_by", "reviewed_at", "effective_at"])
    return change


def contact_change_reject(*, change_id: int, actor: str, reason: str, now: datetime) -> ContactChange:
    reason = reason.strip()
    if not reason:
        raise ValidationError([FieldError("reason", _("alasan penolakan wajib diisi"))])
    role_required(staff_user_get(actor), Role.REGISTRY_CLERK)
    with transaction.atomic():
        change = _locked(change_id)
        _require(change, Status.WAITING, Status.APPROVED)
        change.status, change.decided_by, change.decided_at, change.note = Status.REJECTED, actor[:100], now, reason
        change.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return change


def contact_changes_apply(*, now: datetime) -> int:
    """Make every approved change whose cooling-off is over the contacts on record; end the numbers
    bound from the old phone (a lost SIM may be given to someone else) and tell the new contacts."""
    due = list(
        ContactChange.objects.filter(status=Status.APPROVED, effective_at__lte=now).values_list("id", flat=True)
    )
    for change_id in due:
        _apply(change_id, now=now)
    return len(due)


def _apply(change_id: int, *, now: datetime) -> None:
    with transaction.atomic():
        change = _locked(change_id)
        if change.status != Status.APPROVED:  # cancelled by "not me" since it was listed
            return
        person = Person.objects.select_for_update().get(id=change.person_id)
        account = getattr(person, "member_account", None)
        if change.email and account is not None:
            taken = get_user_model().objects.filter(username=change.email).exclude(id=account.user_id).exists()
            if taken:
                change.status, change.decided_at, change.decided_by = Status.REJECTED, now, "system"
                change.note = _("email baru sudah dipakai akun lain")
                change.save(update_fields=["status", "decided_at", "decided_by", "note"])
                return
            account.user.username = account.user.email = change.email
            account.user.save(update_fields=["username", "email"])
        if change.phone and change.old_phone:
            bindings_end(person_id=person.id, now=now, reason="contact_change", only_phone=change.old_phone)
        person.phone = change.phone or person.phone
        person.email = change.email or person.email
        person.save(update_fields=["phone", "email"])
        change.status, change.decided_at, change.decided_by = Status.DONE, now, "system"
        change.save(update_fields=["status", "decided_at", "decided_by"])
        if change.phone:
            security_notice(person=person, kind=Kind.PHONE_CHANGED, channel="staff", now=now,
                            phone=phone_masked(change.phone))
        if change.email:
            security_notice(person=person, kind=Kind.EMAIL_CHANGED, channel="staff", now=now,
                            email=email_masked(change.email))


def contact_change_photo(*, change: ContactChange, which: str) -> Path:
    """The file of the request's e-KTP photo or selfie (`which`: "ktp" or "selfie")."""
    relative = change.ktp_photo if which == "ktp" else change.selfie_photo
    return private_path(root=photo_root(), relative=relative)


def _new_contacts(request: ContactChangeRequest) -> tuple[str, str]:
    errors: list[FieldError] = []
    phone = ""
    if request.phone.strip():
        phone = normalize_phone(request.phone) or ""
        if not phone:
            errors += validate_phone(request.phone)
    email = request.email.strip().lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.append(FieldError("email", _("alamat email tidak valid")))
    if not request.phone.strip() and not email:
        errors.append(FieldError("phone", _("isi nomor ponsel baru, email baru, atau keduanya")))
    if errors:
        raise ValidationError(errors)
    return phone, email


def _photos(request: ContactChangeRequest) -> list[tuple[bytes, object]]:
    limit = settings.SALDO_ACCOUNTS["PHOTO_MAX_BYTES"]
    found, errors = [], []
    for field, photo, label in (("ktp_photo", request.ktp_photo, _("Foto e-KTP")),
                                ("selfie_photo", request.selfie_photo, _("Swafoto dengan e-KTP"))):
        kind = image_type(photo.content)
        if not photo.content:
            errors.append(FieldError(field, _("%(what)s wajib diunggah") % {"what": label}))
        elif len(photo.content) > limit:
            errors.append(FieldError(field, _("%(what)s lebih dari %(mb)d MB") % {"what": label,
                                                                                  "mb": limit // (1024 * 1024)}))
        elif kind is None:
            errors.append(FieldError(field, _("%(what)s harus berupa gambar JPG atau PNG") % {"what": label}))
        found.append((photo.content, kind))
    if errors:
        raise ValidationError(errors)
    return found


def _check_new_contacts(person: Person, *, phone: str, email: str) -> None:
    errors = []
    if phone and phone == person.phone:
        errors.append(FieldError("phone", _("nomor ini sudah tercatat untuk Anda")))
    elif phone and Person.objects.filter(phone=phone).exclude(id=person.id).exists():
        errors.append(FieldError("phone", _("nomor ini tercatat untuk peserta lain dan tidak dapat dipakai")))
    if email and email == person.email.strip().lower():
        errors.append(FieldError("email", _("email ini sudah tercatat untuk Anda")))
    if errors:
        raise ValidationError(errors)


def _locked(change_id: int) -> ContactChange:
    change = ContactChange.objects.select_for_update().filter(id=change_id).first()
    if change is None:
        raise NotFound(_("Permintaan perubahan kontak tidak ditemukan."), code="contact_change_not_found")
    return change


def _require(change: ContactChange, *statuses: str) -> None:
    if change.status not in statuses:
        raise ContactChangeStateError(
            _("permintaan ini sudah %(status)s") % {"status": change.get_status_display()}
        )
