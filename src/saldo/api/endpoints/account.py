"""The member's account settings: a new password; a new phone or email while the member still has
the old one (the password, then a PIN to the phone on record, then a PIN to the new contact); the
numbers bound to their cards for SMS and WhatsApp. Thin adapters over identity.account_settings, as
the portal's pages are (portal/views/account.py). The devices logged in are /auth/devices."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Status

from saldo.api.auth import MemberToken, client_ip
from saldo.api.problems import errors
from saldo.api.schemas import (
    BindingOut,
    EmailChangeIn,
    EmailChangePinIn,
    PasswordChangeIn,
    PhoneChangeIn,
    PhoneChangePinIn,
    PinSentOut,
)
from saldo.api.selectors import principal_account
from saldo.api.services import sessions_revoke_all
from saldo.identity.account_settings import (
    EMAIL,
    PHONE,
    PinSent,
    account_binding_end,
    account_bindings,
    contact_change_confirm_new,
    contact_change_confirm_old,
    contact_change_start,
    password_change,
)

router = Router(auth=MemberToken(), tags=["account"])
CHANNEL = "api"
PREFIX = "/api/v1/account"
# Ids are 64-bit: anything larger names no binding (and is refused before the database sees it).
BindingPath = Path(..., ge=1, le=2**63 - 1, description="a binding's id from GET /account/bindings", examples=[1])


def _sent(sent: PinSent, next_path: str) -> PinSentOut:
    return PinSentOut(sent_to=sent.sent_to, expires_at=sent.expires_at, next=f"{PREFIX}/{next_path}")


@router.post("/account/password", response={204: None, **errors(401, 422, 429)},
             summary="A new password, with the current one (a wrong one counts as a failed log-in; 429 "
                     "reauth_locked while log-ins are locked). Every other device is logged out, this one stays; "
                     "the contacts on record are told")
def password(request: HttpRequest, data: PasswordChangeIn):
    now = timezone.now()
    account = principal_account(principal=request.auth)
    password_change(account=account, current_password=data.current_password, new_password=data.new_password,
                    channel=CHANNEL, now=now, client=client_ip(request))
    sessions_revoke_all(account_id=account.id, now=now, keep_session_id=request.auth.session_id)
    return Status(204, None)


@router.post("/account/phone", response={202: PinSentOut, **errors(401, 409, 422, 429)},
             summary="Change the phone on record, step 1 of 3: the password and the new number; a PIN is texted "
                     "to the phone on record (409 no_phone_on_record: ask for a contact change instead)")
def phone_start(request: HttpRequest, data: PhoneChangeIn):
    sent = contact_change_start(account=principal_account(principal=request.auth), kind=PHONE, value=data.phone,
                                password=data.password, channel=CHANNEL, now=timezone.now(),
                                client=client_ip(request))
    return Status(202, _sent(sent, "phone/confirm-old"))


@router.post("/account/phone/confirm-old", response={202: PinSentOut, **errors(401, 422, 429)},
             summary="Step 2 of 3: the PIN the phone on record received; a PIN is texted to the new number")
def phone_confirm_old(request: HttpRequest, data: PhoneChangePinIn):
    sent = contact_change_confirm_old(account=principal_account(principal=request.auth), kind=PHONE,
                                      value=data.phone, pin=data.pin, now=timezone.now())
    return Status(202, _sent(sent, "phone/confirm-new"))


@router.post("/account/phone/confirm-new", response={204: None, **errors(401, 422, 429)},
             summary="Step 3 of 3: the PIN the new number received; it becomes the phone on record, the numbers "
                     "bound from the old phone end, and the old and the new phone are told")
def phone_confirm_new(request: HttpRequest, data: PhoneChangePinIn):
    contact_change_confirm_new(account=principal_account(principal=request.auth), kind=PHONE, value=data.phone,
                               pin=data.pin, channel=CHANNEL, now=timezone.now())
    return Status(204, None)


@router.post("/account/email", response={202: PinSentOut, **errors(401, 409, 422, 429)},
             summary="Change the email on record (the login), step 1 of 3: the password and the new email; a PIN "
                     "is texted to the phone on record")
def email_start(request: HttpRequest, data: EmailChangeIn):
    sent = contact_change_start(account=principal_account(principal=request.auth), kind=EMAIL, value=data.email,
                                password=data.password, channel=CHANNEL, now=timezone.now(),
                                client=client_ip(request))
    return Status(202, _sent(sent, "email/confirm-old"))


@router.post("/account/email/confirm-old", response={202: PinSentOut, **errors(401, 422, 429)},
             summary="Step 2 of 3: the PIN the phone on record received; a PIN is mailed to the new email")
def email_confirm_old(request: HttpRequest, data: EmailChangePinIn):
    sent = contact_change_confirm_old(account=principal_account(principal=request.auth), kind=EMAIL,
                                      value=data.email, pin=data.pin, now=timezone.now())
    return Status(202, _sent(sent, "email/confirm-new"))


@router.post("/account/email/confirm-new", response={204: None, **errors(401, 422, 429)},
             summary="Step 3 of 3: the PIN mailed to the new email; it becomes the email on record and the login, "
                     "and the old and the new email are told")
def email_confirm_new(request: HttpRequest, data: EmailChangePinIn):
    contact_change_confirm_new(account=principal_account(principal=request.auth), kind=EMAIL, value=data.email,
                               pin=data.pin, channel=CHANNEL, now=timezone.now())
    return Status(204, None)


@router.get("/account/bindings", response={200: list[BindingOut], **errors(401, 429)},
            summary="The numbers bound to the member's cards for SMS and WhatsApp, newest first (masked, but the "
                    "phone on record)")
def bindings(request: HttpRequest):
    found = account_bindings(account=principal_account(principal=request.auth), channel=CHANNEL,
                             recipient=request.auth.recipient, now=timezone.now())
    return [BindingOut(id=n.id, phone=n.phone, own=n.own, kpj=n.kpj, channel=n.channel, bound_at=n.bound_at)
            for n in found]


@router.delete("/account/bindings/{binding_id}", response={204: None, **errors(401, 404, 422, 429)},
               summary="End one bound number: it no longer reads the cards by SMS or WhatsApp; the contacts on "
                       "record are told")
def binding_end(request: HttpRequest, binding_id: int = BindingPath):
    account_binding_end(account=principal_account(principal=request.auth), binding_id=binding_id, channel=CHANNEL,
                        now=timezone.now())
    return Status(204, None)
