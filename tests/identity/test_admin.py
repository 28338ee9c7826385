"""The registry clerks' admin: the contact-change queue with the member's data beside the photos,
approval by another clerk, and opening a frozen access again."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from saldo.audit.models import Disclosure
from saldo.identity.contacts import ContactChangeRequest, Photo, contact_change_request
from saldo.identity.models import AccessFreeze, ContactChange
from saldo.registry.models import Person
from saldo.staff.roles import Role
from saldo.staff.services import staff_actor
from tests.factories import JPG_BYTES, PNG_BYTES, make_member, make_staff

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
CHANGES = reverse("admin:identity_contactchange_changelist")


@pytest.fixture
def change():
    member = make_member(kpj="68516716147", name="NENG KURNIASIH", phone="+6281234567890")
    Person.objects.filter(id=member.person_id).update(email="neng@example.com")
    person = Person.objects.get(id=member.person_id)
    request = ContactChangeRequest(
        kpj=member.kpj, nik=person.nik, birth_date=person.birth_date, name=person.name,
        mother_maiden_name=person.mother_maiden_name, phone="085711112222", email="",
        ktp_photo=Photo("ktp.jpg", JPG_BYTES), selfie_photo=Photo("selfie.png", PNG_BYTES),
    )
    return contact_change_request(request=request, channel="web", entered_by="member:web", now=NOW)


def test_a_clerk_sees_the_members_data_beside_the_photos_and_each_view_is_audited(client, change):
    clerk = make_staff(Role.REGISTRY_CLERK, username="clerk1")
    client.force_login(clerk)
    page = client.get(reverse("admin:identity_contactchange_change", args=[change.id])).content.decode()
    assert "NENG KURNIASIH" in page and change.person.nik in page and "+6285711112222" in page
    assert "Dimasukkan oleh" in page and 'name="_save"' not in page  # Indonesian labels; read-only
    photo = reverse("admin:identity_contactchange_photo", args=[change.id, "ktp"])
    assert photo in page
    response = client.get(photo)
    assert (response.status_code, response["Content-Type"], b"".join(response.streaming_content)) == (
        200, "image/jpeg", JPG_BYTES)
    assert list(Disclosure.objects.values_list("channel", "recipient", "kpj", "what")) == [
        ("admin", "clerk1", "68516716147", "identity_photo_ktp")]


def test_staff_without_the_clerk_role_see_no_photo(client, change):
    client.force_login(make_staff(Role.TREASURER))
    assert client.get(reverse("admin:identity_contactchange_photo", args=[change.id, "ktp"])).status_code == 403


def test_approving_is_offered_to_clerks_and_refused_to_the_one_who_entered_it(client, change):
    clerk = make_staff(Role.REGISTRY_CLERK, username="clerk1")
    ContactChange.objects.filter(id=change.id).update(entered_by=staff_actor(clerk))
    client.force_login(clerk)
    action = {"action": "approve", "_selected_action": [change.id]}
    page = client.post(CHANGES, action, follow=True).content.decode()
    assert "harus disetujui petugas lain" in page
    assert ContactChange.objects.get().status == "waiting"
    client.force_login(make_staff(Role.REGISTRY_CLERK, username="clerk2"))
    client.post(CHANGES, action)
    assert ContactChange.objects.get().status == "approved"


def test_a_clerk_opens_a_frozen_access_again(client, change):
    freeze = AccessFreeze.objects.create(person=change.person, frozen_at=NOW, reason="bukan saya")
    client.force_login(make_staff(Role.REGISTRY_CLERK, username="clerk1"))
    client.post(reverse("admin:identity_accessfreeze_changelist"), {"action": "clear", "_selected_action": [freeze.id]})
    assert AccessFreeze.objects.get().cleared_by == "staff:clerk1"


def test_a_clerk_records_a_death_from_its_certificate(client, change):
    from saldo.identity.models import PhoneBinding
    from tests.factories import bind_phone

    bind_phone(change.person.memberships.get(), "+6281234567890")
    people = reverse("admin:registry_person_changelist")
    client.force_login(make_staff(Role.TREASURER))
    assert "record_death" not in client.get(people).content.decode()  # offered to registry clerks only
    client.force_login(make_staff(Role.REGISTRY_CLERK, username="clerk1"))
    action = {"action": "record_death", "_selected_action": [change.person_id]}
    assert "Tanggal meninggal" in client.post(people, action).content.decode()
    client.post(people, {**action, "apply": "1", "died_on": "10-11-2026"})
    assert Person.objects.get(id=change.person_id).deceased_on.isoformat() == "2026-11-10"
    assert PhoneBinding.objects.count() == 0
