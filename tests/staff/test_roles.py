"""Staff roles are Django groups the migration makes; the checks other areas call on them."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.utils import translation

from saldo.staff.errors import FourEyesViolation, StaffRoleRequired
from saldo.staff.roles import Role, roles_sync
from saldo.staff.services import four_eyes_check, role_required, staff_actor, staff_has_role, staff_user_get
from tests.factories import make_staff


def permissions(group: Group) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type"))


def existing(*names: str) -> list[str]:
    return sorted(n for n in names if Permission.objects.filter(
        content_type__app_label=n.split(".")[0], codename=n.split(".")[1]).exists())  # fmt: skip


def test_the_four_groups_exist_after_migrate_with_their_admin_permissions():
    claims = ["claims.change_claim", "claims.view_claim"]
    assert {g.name: permissions(g) for g in Group.objects.all()} == {
        "Verifikator klaim": claims,
        "Penyetuju klaim": claims,
        "Bendahara": claims,
        # The contact-change model's permissions come with the first migrate after it exists.
        "Petugas registrasi": existing(
            "identity.change_accessfreeze", "identity.change_contactchange", "identity.view_accessfreeze",
            "identity.view_contactchange", "registry.view_person",
        ),
    }
    assert "registry.view_person" in permissions(Group.objects.get(name="Petugas registrasi"))


def test_syncing_again_changes_nothing_and_keeps_what_an_administrator_added():
    approver = Group.objects.get(name=Role.APPROVER)
    extra = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    approver.permissions.add(extra)
    roles_sync()
    roles_sync()
    assert Group.objects.filter(name__in=list(Role)).count() == 4
    assert permissions(approver) == ["auth.view_user", "claims.change_claim", "claims.view_claim"]


def test_a_deleted_group_is_made_again_by_the_next_sync():
    Group.objects.filter(name=Role.TREASURER).delete()
    roles_sync()
    assert permissions(Group.objects.get(name=Role.TREASURER)) == ["claims.change_claim", "claims.view_claim"]


def test_every_migrate_and_flush_makes_the_groups_again():
    # Django sends post_migrate only to apps with a models module; saldo.staff must get it.
    from django.core.management.sql import emit_post_migrate_signal

    Group.objects.all().delete()
    emit_post_migrate_signal(0, False, "default")
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(Role)


# --- who holds a role --------------------------------------------------------------------------


def test_a_role_is_held_by_an_active_staff_account_in_its_group():
    rina = make_staff(Role.VERIFIER, username="rina")
    assert staff_has_role(rina, Role.VERIFIER)
    assert not staff_has_role(rina, Role.APPROVER)
    rina.is_active = False
    assert not staff_has_role(rina, Role.VERIFIER)
    rina.is_active, rina.is_staff = True, False
    assert not staff_has_role(rina, Role.VERIFIER)
    assert not staff_has_role(AnonymousUser(), Role.VERIFIER)
    assert not staff_has_role(None, Role.VERIFIER)


def test_a_superuser_without_the_group_does_not_hold_the_role():
    admin = make_staff(username="admin", superuser=True)
    assert admin.has_perm("claims.change_claim")  # Django lets a superuser do anything…
    assert not staff_has_role(admin, Role.APPROVER)  # …the separation of duties does not
    with pytest.raises(StaffRoleRequired):
        role_required(admin, Role.APPROVER)


def test_role_required_names_the_role_in_indonesian_and_in_english():
    budi = make_staff(Role.APPROVER, username="budi")
    assert role_required(budi, Role.APPROVER) is budi
    assert role_required(budi, Role.VERIFIER, Role.APPROVER) is budi  # either will do
    with pytest.raises(StaffRoleRequired) as refused:
        role_required(budi, Role.TREASURER)
    assert (refused.value.code, refused.value.roles) == ("staff_role_required", (Role.TREASURER,))
    assert refused.value.message == "Langkah ini hanya untuk petugas dengan peran “Bendahara”."
    with translation.override("en"), pytest.raises(StaffRoleRequired) as refused:
        role_required(None, Role.VERIFIER, Role.APPROVER)
    assert refused.value.message == (
        "Only staff with the role “Verifikator klaim” or “Penyetuju klaim” may take this step."
    )


def test_an_actor_name_leads_back_to_the_staff_account():
    sari = make_staff(Role.TREASURER, username="sari")
    assert staff_actor(sari) == "staff:sari"
    assert staff_user_get("staff:sari") == sari
    assert staff_user_get("staff:nobody") is None
    assert staff_user_get("member:web") is None
    assert staff_user_get("sari") is None
    sari.is_active = False
    sari.save()
    assert staff_user_get("staff:sari") is None


# --- four eyes ---------------------------------------------------------------------------------


def test_four_eyes_refuses_the_one_who_did_the_earlier_step():
    """As the contact-change approval uses it: the clerk who approves is not the one who entered it."""
    four_eyes_check(actor="staff:dewi", done_by=["staff:andi"])
    four_eyes_check(actor="staff:dewi", done_by=["member:web"])
    four_eyes_check(actor="staff:dewi", done_by=[])
    with pytest.raises(FourEyesViolation) as refused:
        four_eyes_check(actor="staff:andi", done_by=["staff:andi"])
    assert (refused.value.code, refused.value.actor) == ("four_eyes", "staff:andi")
    assert "prinsip empat mata" in refused.value.message
    with pytest.raises(FourEyesViolation) as refused:
        four_eyes_check(actor="staff:andi", done_by=iter(["staff:x", "staff:andi"]), message="perubahan Anda sendiri")
    assert refused.value.message == "perubahan Anda sendiri"
