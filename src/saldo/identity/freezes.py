"""'Not me': a member who did not do what a security notice says reports it with the notice's code,
and the person's online access and claims stop at once until staff clear it.

Freezing ends every number bound to the person's cards except the phone on record, cancels the
contact changes waiting, and is itself told to the contacts on record. Log-in (web and app), a new
binding, a claim and every staff step on a claim check `person_frozen` and refuse while it holds.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from saldo.core.errors import NotFound, SaldoError
from saldo.identity.models import AccessFreeze, ContactChange, SecurityEvent
from saldo.identity.notices import report_code_hash, security_notice
from saldo.identity.services import bindings_end
from saldo.registry.models import Person
from saldo.staff.roles import Role
from saldo.staff.services import role_required, staff_user_get


class ReportCodeUnknown(SaldoError):
    code = "report_code_unknown"

    def __init__(self) -> None:
        super().__init__(
            _("Kode laporan tidak dikenal atau sudah kedaluwarsa. Periksa kode pada SMS atau email pemberitahuan.")
        )


def report_not_me(*, code: str, channel: str, now: datetime) -> AccessFreeze:
    """Freeze the person a notice with this code was sent to (once: a second report of any of
    their notices returns the live freeze). Raises ReportCodeUnknown for a code that is unknown or
    older than REPORT_VALID_DAYS."""
    valid = timedelta(days=settings.SALDO_ACCOUNTS["REPORT_VALID_DAYS"])
    event = SecurityEvent.objects.filter(report_code_hash=report_code_hash(code), at__gt=now - valid).first()
    if event is None:
        raise ReportCodeUnknown()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(id=event.person_id)
        SecurityEvent.objects.filter(id=event.id, reported_at__isnull=True).update(reported_at=now)
        live = AccessFreeze.objects.filter(person=person, cleared_at__isnull=True).first()
        if live is not None:
            return live
        freeze = AccessFreeze.objects.create(
            person=person, event=event, frozen_at=now, reason=_("laporan bukan saya: %(what)s") % {"what": event.detail}
        )
        ended = bindings_end(person_id=person.id, now=now, reason="not_me", keep_phone=person.phone or None)
        ContactChange.objects.filter(person=person, status__in=ContactChange.OPEN).update(
            status=ContactChange.Status.CANCELLED, decided_at=now, decided_by="member:not_me"
        )
        security_notice(person=person, kind=SecurityEvent.Kind.ACCESS_FROZEN, channel=channel, now=now)
        if ended:
            security_notice(person=person, kind=SecurityEvent.Kind.BINDINGS_ENDED, channel=channel, now=now,
                            reason=_("laporan bukan saya"))
    return freeze


def freeze_clear(*, freeze_id: int, actor: str, now: datetime) -> AccessFreeze:
    """A registry clerk opens the person's access again, after checking with them."""
    role_required(staff_user_get(actor), Role.REGISTRY_CLERK)
    with transaction.atomic():
        freeze = AccessFreeze.objects.select_for_update().filter(id=freeze_id).first()
        if freeze is None:
            raise NotFound(_("Pembekuan tidak ditemukan."), code="freeze_not_found")
        if freeze.cleared_at is None:
            freeze.cleared_at, freeze.cleared_by = now, actor[:100]
            freeze.save(update_fields=["cleared_at", "cleared_by"])
    return freeze
