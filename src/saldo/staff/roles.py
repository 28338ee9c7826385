"""The staff's roles: one Django group each, made by migration 0001 and kept after every migrate.

Names: the group names are Indonesian ("Verifikator klaim", …), because a group's name is what the
fund's administrators read and assign in the admin (/admin/auth/group/), whose every other word is
Indonesian; an English name there would be the one foreign word on the page. A group has no
separate display name, so the name is also the key: the code finds a role's group by this name.
Do not rename the groups in the admin (a renamed group is no longer the role; the next migrate
makes the group again, empty). The enum's member names are the English roles of the issue
(verifier, approver, treasurer, registry clerk) for the code.

What each role may do is decided in the services (claims/services.py asks for the role on every
step); the model permissions below only let the role's members open the admin pages they work in.
"""

from enum import StrEnum

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS


class Role(StrEnum):
    """A staff role; the value is its Django group's name."""

    VERIFIER = "Verifikator klaim"  # takes a claim from the queue, records the video call / visit
    APPROVER = "Penyetuju klaim"  # approves a verified claim (never one they verified)
    TREASURER = "Bendahara"  # pays an approved claim (never one they verified or approved)
    REGISTRY_CLERK = "Petugas registrasi"  # enters and approves members' contact changes (not both)


# The model permissions each role needs in the admin, "app_label.codename". A permission whose
# model does not exist (yet) is skipped and granted by the first migrate after it does.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.VERIFIER: ("claims.view_claim", "claims.change_claim"),
    Role.APPROVER: ("claims.view_claim", "claims.change_claim"),
    Role.TREASURER: ("claims.view_claim", "claims.change_claim"),
    Role.REGISTRY_CLERK: ("registry.view_person", "identity.view_contactchange", "identity.change_contactchange",
                          "identity.view_accessfreeze", "identity.change_accessfreeze"),
}


def roles_sync(apps=global_apps, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make each role's group if missing and give it the permissions of ROLE_PERMISSIONS that exist.
    Idempotent; only adds: a permission an administrator gave a group by hand stays. `apps` is the
    migration state's registry when called from a migration."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = group_model.objects.using(using).get_or_create(name=role.value)
        wanted = [name.split(".", 1) for name in ROLE_PERMISSIONS[role]]
        found = [
            permission
            for app_label, codename in wanted
            for permission in permission_model.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            )
        ]
        group.permissions.add(*found)


def permissions_create(apps=global_apps, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the model permissions (and content types) of every installed app now: Django makes
    them only after the last migration, and a role's group needs them before."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)


def roles_sync_after_migrate(sender, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate receiver (StaffConfig.ready): the groups again, whatever order apps migrate in."""
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # migrated back past auth
        return
    permissions_create(apps, using=using)
    roles_sync(apps, using=using)
