"""Security notices: the member hears at once, on every contact on record, of anything done in their
name (an account opened, a number bound, a log-in from a new device, a password, phone or email
changed, a claim filed or paid, a bank account added), with a code to report "not me".

A notice goes to the phone on record by SMS (and by WhatsApp when that number is bound there) and to
the email on record, never to a contact typed by whoever acted (WhatsApp not for events done in the
WhatsApp chat itself). Each is a SecurityEvent; only a keyed
hash of its report code is kept. The report (identity.freezes.report_not_me) stops the member's
online access and claims until staff clear it.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from saldo.channels.models import Channel
from saldo.channels.outbox import outbound_queue
from saldo.core.periods import wib
from saldo.identity.models import PhoneBinding, SecurityEvent
from saldo.registry.models import Person

log = logging.getLogger(__name__)
Kind = SecurityEvent.Kind

# Easy to read off a phone and type back: no 0/O, 1/I/L.
REPORT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REPORT_CODE_LENGTH = 8
# The event's words in one SMS beside the time, channel and report code.
WHAT_MAX = 72


def channel_label(channel: str) -> str:
    return {
        "web": _("situs web"),
        "api": _("aplikasi"),
        "sms": "SMS",
        "whatsapp": "WhatsApp",
        "staff": _("petugas"),
        "cli": _("petugas"),
    }.get(channel, channel)


def event_what(kind: str, **details) -> str:
    """The event in a few words, in the active language. `details` are already masked."""
    texts = {
        Kind.ACCOUNT_OPENED: _("akun Saldo Anda dibuka"),
        Kind.REGISTRATION_ATTEMPT: _("ada yang mendaftarkan akun atas nama Anda dengan ponsel/email lain"),
        Kind.REGISTRATION_REPEATED: _("ada pendaftaran akun lagi atas nama Anda"),
        Kind.NUMBER_BOUND: _("nomor %(phone)s didaftarkan untuk KPJ %(kpj)s"),
        Kind.NEW_DEVICE: _("akun Anda dipakai masuk dari perangkat baru (%(device)s)"),
        Kind.PASSWORD_CHANGED: _("kata sandi akun Saldo Anda diganti"),
        Kind.PHONE_CHANGED: _("nomor ponsel tercatat diganti ke %(phone)s"),
        Kind.EMAIL_CHANGED: _("email tercatat diganti ke %(email)s"),
        Kind.CONTACT_CHANGE_REQUESTED: _("permintaan ganti kontak ke %(phone)s diajukan"),
        Kind.CLAIM_FILED: _("klaim JHT %(claim)s diajukan, ke rekening %(account)s"),
        Kind.CLAIM_PAID: _("klaim JHT %(claim)s dibayar ke rekening %(account)s"),
        Kind.BANK_ACCOUNT_ADDED: _("rekening %(account)s dipasang untuk klaim %(claim)s"),
        Kind.BINDINGS_ENDED: _("nomor SMS/WhatsApp terdaftar diakhiri: %(reason)s"),
        Kind.ACCESS_FROZEN: _("akses online dan klaim dibekukan atas laporan Anda"),
    }
    return texts[kind] % details if details else texts[kind]


def security_notice(
    *, person: Person, kind: str, channel: str, now: datetime, former_phone: str = "", former_email: str = "",
    **details,
) -> SecurityEvent:
    """Record `kind` for `person` and tell every contact on record, after the caller's transaction
    commits, in the fund's default language. `details` fill the event's words (event_what) and
    must already be masked: no whole phone number, email or account number.

    `former_phone` / `former_email`: the contact on record that the caller has just replaced (a
    change from the account settings). It is told too, the same notice with the same report code:
    if the change was not the member's, the old contact is where they can still hear of it."""
    code = "".join(secrets.choice(REPORT_ALPHABET) for _i in range(REPORT_CODE_LENGTH))
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        what = event_what(kind, **details)[:WHAT_MAX]
        event = SecurityEvent.objects.create(
            person=person, kind=kind, channel=channel, detail=what, at=now, report_code_hash=report_code_hash(code)
        )
        sms = notice_sms(what=what, channel=channel, at=now, code=code)
        for phone in dict.fromkeys(p for p in (person.phone, former_phone) if p):
            outbound_queue(channel=Channel.SMS, to=phone, text=sms, now=now)
            # Not into the chat that did it: that member is reading it already (SMS and email still go).
            if channel != Channel.WHATSAPP and PhoneBinding.objects.filter(
                phone=phone, channel=Channel.WHATSAPP
            ).exists():
                outbound_queue(channel=Channel.WHATSAPP, to=phone, text=sms, now=now)
        emails = dict.fromkeys(e for e in (person.email, former_email) if e)
        if emails:
            subject, body = notice_mail(what=what, channel=channel, at=now, code=code)
            for email in emails:
                transaction.on_commit(partial(_mail, to=email, subject=subject, body=body), robust=True)
    return event


def notice_sms(*, what: str, channel: str, at: datetime, code: str) -> str:
    """One SMS (GSM-7, at most 160 characters): what, when in WIB, through which channel, and how
    to say it was not the member."""
    return _("Saldo: %(what)s, %(when)s WIB lewat %(channel)s. Bukan Anda? Balas BUKAN %(code)s ke %(shortcode)s") % {
        "what": what,
        "when": wib(at),
        "channel": channel_label(channel),
        "code": code,
        "shortcode": settings.SALDO_KANNEL["SHORTCODE"],
    }


def notice_mail(*, what: str, channel: str, at: datetime, code: str) -> tuple[str, str]:
    subject = _("Pemberitahuan keamanan Saldo")
    body = _(
        "Yth. peserta,\n\n"
        "%(what)s pada %(when)s WIB lewat %(channel)s.\n\n"
        "Jika ini Anda, abaikan email ini.\n"
        "Jika BUKAN Anda, laporkan sekarang: buka %(url)s dan masukkan kode %(code)s, atau kirim SMS "
        "BUKAN %(code)s ke %(shortcode)s. Akses online dan klaim atas nama Anda langsung dibekukan sampai "
        "petugas memeriksanya bersama Anda.\n\n"
        "Saldo tidak pernah meminta PIN, kata sandi atau kode ini lewat telepon.\n"
    ) % {
        "what": what[:1].upper() + what[1:],
        "when": wib(at),
        "channel": channel_label(channel),
        "url": settings.SALDO_KANNEL["PUBLIC_URL"].rstrip("/") + "/bukan-saya/",
        "code": code,
        "shortcode": settings.SALDO_KANNEL["SHORTCODE"],
    }
    return subject, body


def report_code_hash(code: str) -> str:
    # Keyed by SECRET_KEY: a leaked table gives no code.
    normalized = "".join(code.split()).upper()
    return hmac.new(settings.SECRET_KEY.encode(), f"report:{normalized}".encode(), hashlib.sha256).hexdigest()


def _mail(*, to: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [to])
    except OSError:  # the SMS carries the same notice; a mail server that is down must not fail the action
        log.warning("security notice e-mail not sent: mail server unreachable")
