"""Fund staff work the claim queue in the Django admin: each action calls a service as the
logged-in staff member and lands in the claim's trail; each is offered to the staff of its role,
and one claim takes three people (verify, approve, pay); documents download only for staff."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from saldo.audit.models import Disclosure
from saldo.claims.models import Claim
from saldo.claims.services import claim_submit
from saldo.ledger.models import Account
from saldo.staff.roles import Role
from tests.factories import (
    PDF_BYTES,
    account_of,
    bank_account_open,
    claim_documents,
    make_resigned_member,
    make_staff,
    post_entries,
)

CHANGELIST = reverse("admin:claims_claim_changelist")
SUBMITTED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def claim():
    membership = make_resigned_member(kpj="55500000001")
    return claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason="resignation",
        documents=claim_documents("resignation"), **bank_account_open(membership.person.name),
        as_of=date(2025, 3, 1), now=SUBMITTED_AT, actor="member:web",
    )  # fmt: skip


def staff(username, *codenames):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))
    return user


@pytest.fixture
def rina(client, crew):
    """Signed in as rina, a verifier (crew: budi approves, sari pays)."""
    return signed_in(client, "rina")


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def offered(client) -> list[str]:
    """The actions the changelist offers the signed-in staff member."""
    form = client.get(CHANGELIST).context["action_form"]  # None: no action at all
    return [name for name, _ in form.fields["action"].choices if name] if form else []


def act(client, action, claim, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [claim.pk], **extra}, follow=True)


def trail(claim):
    return list(claim.events.order_by("id").values_list("actor", "action"))


def test_the_queue_lists_open_claims_oldest_first(rina, claim):
    page = rina.get(CHANGELIST)
    assert page.status_code == 200
    assert claim.number in page.content.decode()


def test_a_claim_page_shows_its_documents_and_trail(rina, claim):
    page = rina.get(reverse("admin:claims_claim_change", args=[claim.id])).content.decode()
    document = claim.documents.get(kind="ktp")
    assert reverse("admin:claims_claim_document", args=[claim.id, document.id]) in page
    assert "member:web" in page and "1234567890" in page


def test_staff_take_a_claim_from_submission_to_payment(client, crew, claim):
    for username, action in (("rina", "start_verification"), ("budi", "approve"), ("sari", "pay")):
        response = act(signed_in(client, username), action, claim)
        assert f"Berhasil: {claim.number}" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "paid"
    assert trail(claim) == [
        ("member:web", "submitted"),
        ("staff:rina", "verification_started"),
        ("staff:budi", "approved"),
        ("staff:sari", "paid"),
    ]
    assert Account.objects.get(membership=claim.membership, programme="JHT").balance == 0


def test_a_refused_step_is_shown_and_changes_nothing(client, crew, claim):
    response = act(signed_in(client, "sari"), "pay", claim)
    assert "langkah ini tidak berlaku untuk klaim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted" and trail(claim) == [("member:web", "submitted")]


def test_rejecting_asks_for_the_reason_first(rina, claim):
    act(rina, "start_verification", claim)
    form = act(rina, "reject", claim)
    assert "Alasan penolakan (dibaca peserta)" in form.content.decode()
    claim.refresh_from_db()
    assert claim.status == "verifying"
    act(rina, "reject", claim, apply="1", note="tanda tangan pemberi kerja tidak ada")
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == ("rejected", "tanda tangan pemberi kerja tidak ada")
    assert trail(claim)[-1] == ("staff:rina", "rejected")


def test_a_video_call_is_recorded_before_approval_above_the_limit(rina):
    membership = make_resigned_member(kpj="55500000002")
    post_entries(account_of(membership), [(date(2024, 12, 31), 20_000_000)], key="opening")

    big = claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason="resignation",
        documents=claim_documents("resignation"), **bank_account_open(membership.person.name),
        as_of=date(2025, 3, 1), now=SUBMITTED_AT, actor="member:web",
    )  # fmt: skip
    act(rina, "start_verification", big)
    assert "harus diverifikasi dulu" in act(signed_in(Client(), "budi"), "approve", big).content.decode()
    act(rina, "record_verification", big, apply="1", note="video call, wajah cocok dengan KTP")
    act(signed_in(Client(), "budi"), "approve", big)
    big.refresh_from_db()
    assert (big.status, big.verified) == ("approved", True)
    assert big.events.get(action="verified").note == "video call, wajah cocok dengan KTP"


def test_staff_without_change_permission_cannot_act(client, claim):
    client.force_login(staff("tamu", "view_claim"))
    response = act(client, "approve", claim)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_documents_download_for_staff_and_the_disclosure_is_recorded(rina, claim):
    document = claim.documents.get(kind="ktp")
    url = reverse("admin:claims_claim_document", args=[claim.id, document.id])
    response = rina.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{claim.number}-ktp.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert list(Disclosure.objects.values_list("channel", "recipient", "kpj", "what")) == [
        ("admin", "rina", "55500000001", "claim_document")
    ]


def test_documents_are_not_for_anyone_else(client, claim):
    document = claim.documents.first()
    url = reverse("admin:claims_claim_document", args=[claim.id, document.id])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(User.objects.create_user("peserta", password="x"))  # not staff
    assert client.get(url).status_code == 302
    client.force_login(staff("lain", "view_person"))  # staff, but not for claims
    assert client.get(url).status_code == 403
    assert Disclosure.objects.count() == 0


def test_claims_cannot_be_added_or_deleted_by_hand(rina, claim):
    assert rina.get(reverse("admin:claims_claim_add")).status_code == 403
    assert rina.post(reverse("admin:claims_claim_delete", args=[claim.id])).status_code == 403
    assert Claim.objects.count() == 1


# --- roles and four eyes -----------------------------------------------------------------------


def test_each_role_is_offered_its_own_steps(client, crew):
    assert offered(signed_in(client, "rina")) == ["start_verification", "record_verification", "reject"]
    assert offered(signed_in(client, "budi")) == ["approve", "reject"]
    assert offered(signed_in(client, "sari")) == ["pay"]
    # A superuser outside the groups is offered none, and a step sent anyway changes nothing.
    client.force_login(make_staff(username="admin", superuser=True))
    assert offered(client) == []


def test_a_superuser_without_the_role_cannot_take_the_step(client, claim):
    client.force_login(make_staff(username="admin", superuser=True))
    act(client, "start_verification", claim)
    claim.refresh_from_db()
    assert claim.status == "submitted" and trail(claim) == [("member:web", "submitted")]


def test_who_verified_a_claim_is_told_another_must_approve_it(client, claim):
    """Dewi is both verifier and approver: she may do either step, but not both on one claim."""
    client.force_login(make_staff(Role.VERIFIER, Role.APPROVER, username="dewi"))
    act(client, "start_verification", claim)
    response = act(client, "approve", claim)
    assert (
        f"{claim.number}: Anda sudah memverifikasi klaim {claim.number}; persetujuannya harus oleh petugas lain "
        "(prinsip empat mata)."
    ) in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "verifying" and trail(claim)[-1] == ("staff:dewi", "verification_started")
