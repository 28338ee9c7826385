"""The staff checks other areas call: who holds a role, and the four-eyes rule.

Staff are named in trails as `staff:<username>` (staff_actor); the areas keep those strings, so the
checks compare them. A role is held by an active staff account (is_active and is_staff) in the
role's group (roles.py); a superuser without the group does not hold it: the separation of duties
binds administrators too, who can always put themselves in a group, visibly, in the admin's history.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from saldo.staff.errors import FourEyesViolation, StaffRoleRequired
from saldo.staff.roles import Role

STAFF_PREFIX = "staff:"

AnyUser = AbstractBaseUser | AnonymousUser


def staff_actor(user: AbstractBaseUser) -> str:
    """How a staff member is named in a trail: `staff:<username>`."""
    return f"{STAFF_PREFIX}{user.get_username()}"


def staff_user_get(actor: str) -> AbstractBaseUser | None:
    """The active staff account an actor string names (`staff:<username>`), or None (a member's
    actor, "system", an unknown or deactivated account)."""
    if not actor.startswith(STAFF_PREFIX):
        return None
    model = get_user_model()
    return model._default_manager.filter(
        **{model.USERNAME_FIELD: actor.removeprefix(STAFF_PREFIX)}, is_active=True, is_staff=True
    ).first()


def staff_has_role(user: AnyUser | None, role: Role) -> bool:
    """Whether `user` is an active staff account in `role`'s group (superusers included: no bypass)."""
    if user is None or not user.is_active or not getattr(user, "is_staff", False):
        return False
    return user.groups.filter(name=Role(role).value).exists()


def role_required(user: AnyUser | None, *roles: Role) -> AbstractBaseUser:
    """`user` if they hold at least one of `roles`; otherwise StaffRoleRequired (code
    staff_role_required), whose message names the roles as the admin shows the groups."""
    if not roles:
        raise TypeError("role_required needs at least one role")
    if user is None or not any(staff_has_role(user, role) for role in roles):
        raise StaffRoleRequired(tuple(Role(role) for role in roles))
    return user


def four_eyes_check(*, actor: str, done_by: Iterable[str], message: str = "") -> None:
    """Refuse (FourEyesViolation, code four_eyes) if `actor` is among `done_by`, the actors of the
    earlier step(s) this one must check, e.g. the clerk who approves a contact change is not the
    one who entered it: `four_eyes_check(actor=staff_actor(user), done_by=[change.entered_by])`.
    Actors are compared as the trail names them (`staff:<username>`); `message` says what the
    step is, in the case's words (a general one otherwise)."""
    if actor in set(done_by):
        raise FourEyesViolation(
            message
            or _(
                "Langkah ini harus dilakukan petugas lain: Anda sudah menangani langkah sebelumnya "
                "(prinsip empat mata)."
            ),
            actor=actor,
        )
