"""Reads from the registry."""

from django.utils.translation import gettext as _

from saldo.core.errors import NotFound
from saldo.registry.models import Membership


def membership_get(*, kpj: str) -> Membership:
    membership = Membership.objects.select_related("person", "employer").filter(kpj=kpj).first()
    if membership is None:
        raise NotFound(_("KPJ %(kpj)s tidak ditemukan") % {"kpj": kpj}, code="kpj_not_found")
    return membership


def memberships_of_person(*, person_id: int) -> list[Membership]:
    return list(Membership.objects.select_related("employer").filter(person_id=person_id).order_by("start_date", "kpj"))
