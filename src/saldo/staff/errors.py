"""What the staff checks refuse, each with a stable code (core/errors.py hierarchy)."""

from django.utils.translation import gettext as _

from saldo.core.errors import SaldoError
from saldo.staff.roles import Role


class StaffRoleRequired(SaldoError):
    """The step needs one of `roles` and the staff member (or a member's actor, or nobody) holds
    none of them. Superusers too: being a superuser is not a role."""

    code = "staff_role_required"

    def __init__(self, roles: tuple[Role, ...]):
        self.roles = roles
        names = _(" atau ").join(f"“{role.value}”" for role in roles)
        super().__init__(_("Langkah ini hanya untuk petugas dengan peran %(roles)s.") % {"roles": names})


class FourEyesViolation(SaldoError):
    """The staff member acting now already did an earlier step of the same case that another
    person must check (the separation of duties, "prinsip empat mata"). `actor` is who tried."""

    code = "four_eyes"

    def __init__(self, message: str, *, actor: str):
        self.actor = actor
        super().__init__(message)
