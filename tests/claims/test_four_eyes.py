"""Four eyes: a claim is verified, approved and paid by three different people, each in the group
of their step (saldo.staff roles); a refused step raises with a stable code and changes nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from saldo.claims.models import Claim, ClaimEvent
from saldo.claims.services import (
    claim_approve,
    claim_pay,
    claim_reject,
    claim_submit,
    claim_verification_record,
    claim_verification_start,
)
from saldo.core.errors import SaldoError
from saldo.ledger.models import Account, Posting
from saldo.staff.errors import FourEyesViolation, StaffRoleRequired
from saldo.staff.roles import Role
from tests.factories import (
    account_of,
    bank_account_open,
    claim_documents,
    make_resigned_member,
    make_staff,
    post_entries,
)

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
LATER = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

STEPS = {
    "start": lambda n, actor: claim_verification_start(number=n, actor=actor, now=NOW),
    "record": lambda n, actor: claim_verification_record(number=n, actor=actor, now=NOW, note="video call"),
    "approve": lambda n, actor: claim_approve(number=n, actor=actor, now=NOW),
    "pay": lambda n, actor: claim_pay(number=n, actor=actor, now=LATER),
}


@pytest.fixture(autouse=True)
def staff():
    """rina, budi, sari: one role each; dewi, eko, fajar: two roles each; tamu: none; admin: a
    superuser in no group; ex: a treasurer who left (deactivated)."""
    for username, roles in {
        "rina": [Role.VERIFIER], "budi": [Role.APPROVER], "sari": [Role.TREASURER],
        "dewi": [Role.VERIFIER, Role.APPROVER], "eko": [Role.APPROVER, Role.TREASURER],
        "fajar": [Role.VERIFIER, Role.TREASURER], "tamu": [],
    }.items():  # fmt: skip
        make_staff(*roles, username=username)
    make_staff(username="admin", superuser=True)
    ex = make_staff(Role.TREASURER, username="ex")
    ex.is_active = False
    ex.save()


@pytest.fixture
def claim() -> Claim:
    """A resignation claim above the self-service limit: staff hold a video call before approving."""
    membership = make_resigned_member(kpj="55500000001")
    post_entries(account_of(membership), [(date(2024, 12, 31), 20_000_000)], key="opening")
    claim = claim_submit(
        kpj=membership.kpj, person_id=membership.person_id, reason="resignation",
        documents=claim_documents("resignation"), **bank_account_open(membership.person.name),
        as_of=date(2025, 3, 1), now=NOW, actor="member:web",
    )  # fmt: skip
    assert claim.verification == "video_call"
    return claim


def everything() -> tuple:
    """What a refused step must leave as it was."""
    return (
        list(Claim.objects.order_by("id").values_list("id", "status", "verified")),
        list(ClaimEvent.objects.order_by("id").values_list("actor", "action")),
        list(Posting.objects.values_list("key", flat=True)),
        list(Account.objects.order_by("id").values_list("id", "balance")),
    )


# Who takes each step (start verification, record the video call, approve, pay), and the step
# that is refused with its code (None: the claim is paid).
CASES = [
    ("three people in their groups", ("rina", "rina", "budi", "sari"), None),
    ("two verifiers, an approver and a treasurer", ("rina", "dewi", "budi", "sari"), None),
    ("people with two roles, each taking one step", ("dewi", "dewi", "eko", "fajar"), None),
    # the same person twice
    ("the verifier approves", ("dewi", "dewi", "dewi", "sari"), ("approve", "four_eyes")),
    ("who started the verification approves", ("dewi", "rina", "dewi", "sari"), ("approve", "four_eyes")),
    ("who recorded the video call approves", ("rina", "dewi", "dewi", "sari"), ("approve", "four_eyes")),
    ("the approver pays", ("rina", "rina", "eko", "eko"), ("pay", "four_eyes")),
    ("the verifier pays", ("fajar", "fajar", "budi", "fajar"), ("pay", "four_eyes")),
    ("who recorded the video call pays", ("rina", "fajar", "budi", "fajar"), ("pay", "four_eyes")),
    # someone without the step's group
    ("someone in no group starts the verification", ("tamu", "rina", "budi", "sari"), ("start", "staff_role_required")),
    ("an approver starts the verification", ("budi", "rina", "budi", "sari"), ("start", "staff_role_required")),
    ("a treasurer records the video call", ("rina", "sari", "budi", "sari"), ("record", "staff_role_required")),
    ("a verifier approves", ("rina", "rina", "rina", "sari"), ("approve", "staff_role_required")),
    ("a treasurer approves", ("rina", "rina", "sari", "sari"), ("approve", "staff_role_required")),
    ("an approver pays", ("rina", "rina", "budi", "budi"), ("pay", "staff_role_required")),
    ("a superuser in no group pays", ("rina", "rina", "budi", "admin"), ("pay", "staff_role_required")),
    ("a deactivated treasurer pays", ("rina", "rina", "budi", "ex"), ("pay", "staff_role_required")),
    ("a name with no account pays", ("rina", "rina", "budi", "nobody"), ("pay", "staff_role_required")),
]


@pytest.mark.parametrize(("people", "refused"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_verify_approve_pay_take_three_people_in_their_groups(claim, people, refused):
    for step, username in zip(STEPS, people, strict=True):
        actor = f"staff:{username}"
        if refused and step == refused[0]:
            before = everything()
            with pytest.raises(SaldoError) as error:
                STEPS[step](claim.number, actor)
            assert error.value.code == refused[1]
            assert everything() == before
            return
        STEPS[step](claim.number, actor)
    assert refused is None
    assert list(claim.events.order_by("id").values_list("actor", "action"))[-2:] == [
        (f"staff:{people[2]}", "approved"), (f"staff:{people[3]}", "paid"),
    ]  # fmt: skip
    assert Claim.objects.get(id=claim.id).status == "paid"


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("staff:rina", True), ("staff:budi", True), ("staff:sari", False), ("staff:admin", False), ("member:web", False)],
)
def test_a_verifier_or_an_approver_rejects(claim, actor, allowed):
    claim_verification_start(number=claim.number, actor="staff:rina", now=NOW)
    if allowed:
        assert claim_reject(number=claim.number, actor=actor, reason="KTP tidak terbaca", now=NOW).status == "rejected"
        return
    before = everything()
    with pytest.raises(StaffRoleRequired) as refused:
        claim_reject(number=claim.number, actor=actor, reason="KTP tidak terbaca", now=NOW)
    assert refused.value.roles == (Role.VERIFIER, Role.APPROVER)
    assert everything() == before


def test_a_member_cannot_take_a_staff_step(claim):
    with pytest.raises(StaffRoleRequired) as refused:
        claim_verification_start(number=claim.number, actor="member:web", now=NOW)
    assert refused.value.message == "Langkah ini hanya untuk petugas dengan peran “Verifikator klaim”."


def test_the_refusal_says_why_in_indonesian_and_in_english(claim):
    claim_verification_start(number=claim.number, actor="staff:dewi", now=NOW)
    claim_verification_record(number=claim.number, actor="staff:rina", now=NOW)
    with pytest.raises(FourEyesViolation) as refused:
        claim_approve(number=claim.number, actor="staff:dewi", now=NOW)
    assert (refused.value.code, refused.value.actor) == ("four_eyes", "staff:dewi")
    assert refused.value.message == (
        f"Anda sudah memverifikasi klaim {claim.number}; persetujuannya harus oleh petugas lain (prinsip empat mata)."
    )
    claim_approve(number=claim.number, actor="staff:eko", now=NOW)
    with translation.override("en"), pytest.raises(FourEyesViolation) as refused:
        claim_pay(number=claim.number, actor="staff:eko", now=LATER)
    assert refused.value.message == (
        f"You approved claim {claim.number}; another staff member must pay it (the four-eyes principle)."
    )
    with translation.override("en"), pytest.raises(StaffRoleRequired) as refused:
        claim_pay(number=claim.number, actor="staff:budi", now=LATER)
    assert refused.value.message == "Only staff with the role “Bendahara” may take this step."
