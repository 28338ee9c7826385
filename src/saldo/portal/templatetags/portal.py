"""Template filters of the portal: money, wage months, contact details shown half hidden, and the
words of a JHT claim's status."""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from saldo.claims.rules import RULES
from saldo.core.masking import email_masked
from saldo.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    return "–" if amount is None else format_rupiah(amount)


@register.filter
def month(period: date) -> str:
    """A wage month in the active language: "Oktober 2024" / "October 2024"."""
    return date_format(period, "F Y")


@register.filter
def masked_phone(phone: str) -> str:
    """+628154817745 -> ****7745: enough for the member to recognise, nothing for a shoulder."""
    return f"****{phone[-4:]}" if phone else ""


@register.filter
def masked_email(email: str) -> str:
    """neng.kurniasih@example.com -> n***@example.com"""
    return email_masked(email)


@register.filter
def iuran(year) -> int:
    """A statement year's iuran: employer and worker shares together."""
    return year.employer + year.worker


@register.filter
def others(year) -> int:
    """Everything else that moved the balance in a year: corrections, transfers, money paid out."""
    return year.transfers + year.reversals - year.withdrawals


@register.filter
def by_year(months) -> list[dict]:
    """Monthly iuran grouped by year, newest year first, with each year's months without iuran."""
    years: dict[int, list] = {}
    for row in months:
        years.setdefault(row.period.year, []).append(row)
    return [
        {"year": year, "months": rows, "gaps": sum(1 for r in rows if r.gap)}
        for year, rows in sorted(years.items(), reverse=True)
    ]


@register.filter
def gap_count(months) -> int:
    return sum(1 for row in months if row.gap)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key)


# The claim's status and verification route as the member reads them (claims.models codes).
CLAIM_STATUSES = {
    "submitted": _("Diajukan"),
    "verifying": _("Sedang diverifikasi"),
    "approved": _("Disetujui, menunggu pembayaran"),
    "rejected": _("Ditolak"),
    "paid": _("Dibayar"),
    "cancelled": _("Dibatalkan"),
}
CLAIM_VERIFICATIONS = {
    "self_service": _("Mandiri (pemeriksaan dokumen)"),
    "video_call": _("Panggilan video dengan petugas"),
    "branch_visit": _("Kunjungan ke kantor cabang"),
}
CLAIM_ACTIONS = {
    "submitted": _("Klaim diajukan"),
    "verification_started": _("Verifikasi dimulai"),
    "verified": _("Verifikasi petugas selesai"),
    "approved": _("Klaim disetujui"),
    "rejected": _("Klaim ditolak"),
    "cancelled": _("Klaim dibatalkan"),
    "paid": _("Dana dibayarkan"),
}


@register.filter
def claim_status(code: str) -> str:
    return CLAIM_STATUSES.get(code, code)


@register.filter
def claim_verification(code: str) -> str:
    return CLAIM_VERIFICATIONS.get(code, code)


@register.filter
def claim_action(code: str) -> str:
    return CLAIM_ACTIONS.get(code, code)


@register.filter
def reason_label(code: str) -> str:
    """The label of a claim reason (claims.rules) in the active language."""
    rule = RULES.get(code)
    return str(rule.label) if rule else code


@register.filter
def estimated_net(claim) -> int:
    """A claim's estimated net amount: its estimated gross less the estimated tax."""
    return claim.estimated_gross - claim.estimated_tax
