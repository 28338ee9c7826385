"""Changing the contacts on record: photos, the old contacts told, staff approval, cooling-off,
"not me", and what changes when it takes effect."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from saldo.channels.models import OutboundMessage
from saldo.core.errors import ValidationError
from saldo.identity.contacts import (
    ContactChangeOpen,
    ContactChangeRequest,
    Photo,
    contact_change_approve,
    contact_change_photo,
    contact_change_reject,
    contact_change_request,
    contact_changes_apply,
)
from saldo.identity.freezes import report_not_me
from saldo.identity.models import ContactChange, PhoneBinding, PhoneBindingEnded
from saldo.identity.services import RegistrationRefused
from saldo.registry.models import Person
from saldo.staff.errors import FourEyesViolation, StaffRoleRequired
from saldo.staff.roles import Role
from saldo.staff.services import staff_actor
from tests.factories import JPG_BYTES, PDF_BYTES, PNG_BYTES, bind_phone, make_account, make_member, make_staff

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
OLD_PHONE, OLD_EMAIL = "+6281234567890", "neng@example.com"
NEW_PHONE, NEW_EMAIL = "+6285711112222", "neng.baru@example.com"
Status = ContactChange.Status


@pytest.fixture
def clerk() -> str:
    return staff_actor(make_staff(Role.REGISTRY_CLERK, username="clerk2"))


@pytest.fixture
def member():
    membership = make_member(kpj="68516716147", name="NENG KURNIASIH", phone=OLD_PHONE)
    Person.objects.filter(id=membership.person_id).update(email=OLD_EMAIL)
    membership.person.refresh_from_db()
    return membership


def request_for(member, **changes) -> ContactChangeRequest:
    person = member.person
    values = {
        "kpj": member.kpj, "nik": person.nik, "birth_date": person.birth_date, "name": person.name,
        "mother_maiden_name": person.mother_maiden_name, "phone": "0857-1111-2222", "email": NEW_EMAIL,
        "ktp_photo": Photo("ktp.jpg", JPG_BYTES), "selfie_photo": Photo("selfie.png", PNG_BYTES),
    }
    return ContactChangeRequest(**{**values, **changes})


def ask(member, **changes) -> ContactChange:
    return contact_change_request(request=request_for(member, **changes), channel="web", entered_by="member:web",
                                  now=NOW)


def texts_to(phone: str) -> list[str]:
    return list(OutboundMessage.objects.filter(to=phone).order_by("id").values_list("text", flat=True))


def test_a_request_waits_for_staff_and_the_old_contacts_are_told_at_once(member):
    change = ask(member)
    assert (change.status, change.phone, change.email, change.old_phone, change.old_email) == (
        Status.WAITING, NEW_PHONE, NEW_EMAIL, OLD_PHONE, OLD_EMAIL)
    [notice] = texts_to(OLD_PHONE)
    assert notice.startswith("Saldo: permintaan ganti kontak ke +62857*****222 diajukan, 26-11-2026 10:00 WIB")
    assert texts_to(NEW_PHONE) == []
    assert contact_change_photo(change=change, which="ktp").read_bytes() == JPG_BYTES
    assert contact_change_photo(change=change, which="selfie").stat().st_mode & 0o777 == 0o600
    member.person.refresh_from_db()
    assert (member.person.phone, member.person.email) == (OLD_PHONE, OLD_EMAIL)  # nothing changed yet


def test_approved_it_takes_effect_only_after_the_cooling_off(member, clerk):
    account = make_account(member, email=OLD_EMAIL, phone=OLD_PHONE)
    bind_phone(member, OLD_PHONE)
    change = ask(member)
    contact_change_approve(change_id=change.id, actor=clerk, now=NOW + timedelta(hours=1))
    assert contact_changes_apply(now=NOW + timedelta(hours=72)) == 0
    assert contact_changes_apply(now=NOW + timedelta(hours=73)) == 1
    member.person.refresh_from_db()
    account.user.refresh_from_db()
    assert (member.person.phone, member.person.email, account.user.username) == (NEW_PHONE, NEW_EMAIL, NEW_EMAIL)
    assert ContactChange.objects.get().status == Status.DONE
    # The old SIM may be given to someone else: its bindings end; the new contacts are told.
    assert PhoneBinding.objects.count() == 0
    assert list(PhoneBindingEnded.objects.values_list("phone", "reason")) == [(OLD_PHONE, "contact_change")]
    assert [t[:44] for t in texts_to(NEW_PHONE)] == [
        "Saldo: nomor ponsel tercatat diganti ke +628",
        "Saldo: email tercatat diganti ke n***@exampl",
    ]


def test_not_me_from_the_old_contacts_cancels_it_during_the_cooling_off(member, clerk):
    change = ask(member)
    contact_change_approve(change_id=change.id, actor=clerk, now=NOW + timedelta(hours=1))
    code = re.search(r"BUKAN ([0-9A-Z]{8})", texts_to(OLD_PHONE)[0]).group(1)
    report_not_me(code=code, channel="sms", now=NOW + timedelta(hours=2))
    assert contact_changes_apply(now=NOW + timedelta(days=5)) == 0
    assert ContactChange.objects.get().status == Status.CANCELLED
    member.person.refresh_from_db()
    assert member.person.phone == OLD_PHONE


def test_a_rejected_request_changes_nothing(member, clerk):
    change = ask(member)
    contact_change_reject(change_id=change.id, actor=clerk, reason="swafoto bukan orang yang sama", now=NOW)
    assert contact_changes_apply(now=NOW + timedelta(days=5)) == 0
    assert ContactChange.objects.get().note == "swafoto bukan orang yang sama"


def test_one_request_at_a_time(member):
    ask(member)
    with pytest.raises(ContactChangeOpen):
        ask(member, phone="0857-3333-4444")


@pytest.mark.parametrize(("photos", "fields"), [
    ({"ktp_photo": Photo("ktp.pdf", PDF_BYTES)}, ["ktp_photo"]),
    ({"selfie_photo": Photo("selfie.jpg", b"not an image at all")}, ["selfie_photo"]),
    ({"ktp_photo": Photo("", b""), "selfie_photo": Photo("", b"")}, ["ktp_photo", "selfie_photo"]),
])
def test_each_photo_must_be_an_image(member, photos, fields):
    with pytest.raises(ValidationError) as invalid:
        ask(member, **photos)
    assert [e.field for e in invalid.value.errors] == fields
    assert "gambar JPG atau PNG" in invalid.value.errors[0].message or "wajib" in invalid.value.errors[0].message
    assert ContactChange.objects.count() == 0 and texts_to(OLD_PHONE) == []


def test_a_phone_on_another_members_record_cannot_be_taken(member):
    make_member(phone=NEW_PHONE)
    with pytest.raises(ValidationError) as invalid:
        ask(member)
    assert [(e.field, e.message) for e in invalid.value.errors] == [
        ("phone", "nomor ini tercatat untuk peserta lain dan tidak dapat dipakai")]


def test_identity_data_that_do_not_match_are_refused_like_a_registration(member):
    with pytest.raises(RegistrationRefused):
        ask(member, mother_maiden_name="SRI")
    assert ContactChange.objects.count() == 0


def test_only_a_registry_clerk_approves_and_never_the_one_who_entered_it(member):
    entering = make_staff(Role.REGISTRY_CLERK, username="clerk1")
    change = contact_change_request(request=request_for(member), channel="staff", entered_by=staff_actor(entering),
                                    now=NOW)
    with pytest.raises(FourEyesViolation) as same:
        contact_change_approve(change_id=change.id, actor=staff_actor(entering), now=NOW)
    assert same.value.code == "four_eyes"
    verifier = make_staff(Role.VERIFIER, username="verif")
    with pytest.raises(StaffRoleRequired):
        contact_change_approve(change_id=change.id, actor=staff_actor(verifier), now=NOW)
    assert ContactChange.objects.get().status == Status.WAITING
    other = make_staff(Role.REGISTRY_CLERK, username="clerk3")
    assert contact_change_approve(change_id=change.id, actor=staff_actor(other), now=NOW).status == Status.APPROVED


def test_a_branch_request_is_entered_by_a_registry_clerk_only(member):
    treasurer = make_staff(Role.TREASURER, username="kasir")
    with pytest.raises(StaffRoleRequired):
        contact_change_request(request=request_for(member), channel="staff", entered_by=staff_actor(treasurer),
                               now=NOW)
