"""Registration, login, tokens and devices."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from saldo.api.auth import ClientLimit, MemberToken, client_ip
from saldo.api.problems import errors
from saldo.api.schemas import (
    DEVICE_ID,
    ActivateIn,
    ChallengeOut,
    DeviceOut,
    LoginIn,
    LoginPinIn,
    LoginPinSentOut,
    LoginVerifyIn,
    LoginWithPinIn,
    RefreshIn,
    RegisterIn,
    TokenPairOut,
)
from saldo.api.selectors import account_sessions
from saldo.api.services import (
    Challenge,
    TokenPair,
    app_activate,
    app_login,
    app_login_pin_send,
    app_login_verify,
    app_login_with_pin,
    app_register,
    device_revoke,
    session_refresh,
    session_revoke,
    sessions_revoke_all,
)
from saldo.identity.accounts import Registration

router = Router(tags=["auth"])


def _challenge(challenge: Challenge) -> ChallengeOut:
    return ChallengeOut(challenge=challenge.challenge, expires_at=challenge.expires_at, sent_to=challenge.sent_to)


def _tokens(pair: TokenPair, now) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token,
        expires_in=int((pair.access_expires_at - now).total_seconds()),
        access_expires_at=pair.access_expires_at,
        refresh_token=pair.refresh_token,
        refresh_expires_at=pair.refresh_expires_at,
    )


@router.post("/register", auth=ClientLimit(), response={202: ChallengeOut, **errors(400, 403, 409, 422, 429)},
             summary="Register with KPJ, NIK, birth date, name and mother's name, and the phone and email on "
                     "record; the PIN is texted to the phone on record")
def register(request: HttpRequest, data: RegisterIn):
    registration = Registration(kpj=data.kpj, nik=data.nik, birth_date=data.birth_date, name=data.name,
                                mother_maiden_name=data.mother_maiden_name, phone=data.phone, email=data.email)
    started = app_register(registration=registration, client=client_ip(request), now=timezone.now())
    return Status(202, _challenge(started))


@router.post("/activate", auth=ClientLimit(), response={201: TokenPairOut, **errors(400, 401, 422, 429)},
             summary="Activate with the PIN and a password; returns this device's tokens")
def activate(request: HttpRequest, data: ActivateIn):
    now = timezone.now()
    pair = app_activate(challenge=data.challenge, pin=data.pin, password=data.password, device_id=data.device_id,
                        device_name=data.device_name, now=now)
    return Status(201, _tokens(pair, now))


@router.post("/login", auth=ClientLimit(), response={202: ChallengeOut, **errors(400, 401, 422, 429)},
             summary="Email and password; a login PIN is texted to the member's phone")
def login(request: HttpRequest, data: LoginIn):
    challenge = app_login(email=data.email, password=data.password, client=client_ip(request), now=timezone.now())
    return Status(202, _challenge(challenge))


@router.post("/login/verify", auth=ClientLimit(), response={201: TokenPairOut, **errors(400, 401, 422, 429)},
             summary="The login PIN; returns this device's tokens")
def login_verify(request: HttpRequest, data: LoginVerifyIn):
    now = timezone.now()
    pair = app_login_verify(challenge=data.challenge, pin=data.pin, device_id=data.device_id,
                            device_name=data.device_name, now=now)
    return Status(201, _tokens(pair, now))


@router.post("/login/pin", auth=ClientLimit(), response={202: LoginPinSentOut, **errors(400, 422, 429)},
             summary="While an email is slowed down by failed log-ins (429 login_slowed): text a log-in PIN to "
                     "the phone on record, if the email has an account (the answer is the same either way)")
def login_pin(request: HttpRequest, data: LoginPinIn):
    app_login_pin_send(email=data.email, now=timezone.now())
    return Status(202, LoginPinSentOut(detail=_("Jika email ini punya akun, PIN sudah dikirim ke ponsel tercatat.")))


@router.post("/login/pin/verify", auth=ClientLimit(), response={201: TokenPairOut, **errors(400, 401, 422, 429)},
             summary="Log in with the PIN from /login/pin and the password (goes through a slowdown, never a "
                     "lock of this client); returns this device's tokens")
def login_pin_verify(request: HttpRequest, data: LoginWithPinIn):
    now = timezone.now()
    pair = app_login_with_pin(email=data.email, pin=data.pin, password=data.password, device_id=data.device_id,
                              device_name=data.device_name, client=client_ip(request), now=now)
    return Status(201, _tokens(pair, now))


# Refresh tokens cannot be guessed, and many phones share one carrier IP: the general per-IP limit.
@router.post("/refresh", auth=ClientLimit("public"), response={200: TokenPairOut, **errors(400, 401, 422, 429)},
             summary="A new token pair for the same device; the refresh token is spent")
def refresh(request: HttpRequest, data: RefreshIn):
    now = timezone.now()
    return _tokens(session_refresh(refresh_token=data.refresh_token, device_id=data.device_id, now=now), now)


@router.post("/logout", auth=MemberToken(), response={204: None, **errors(401, 429)},
             summary="Log this device out (its tokens stop working)")
def logout(request: HttpRequest):
    session_revoke(session_id=request.auth.session_id, now=timezone.now())
    return Status(204, None)


@router.post("/logout-all", auth=MemberToken(), response={204: None, **errors(401, 429)},
             summary="Log every device of the member out")
def logout_all(request: HttpRequest):
    sessions_revoke_all(account_id=request.auth.account_id, now=timezone.now())
    return Status(204, None)


@router.get("/devices", auth=MemberToken(), response={200: list[DeviceOut], **errors(401, 429)},
            summary="The devices logged in to this account")
def devices(request: HttpRequest):
    return [
        DeviceOut(device_id=s.device_id, device_name=s.device_name, created_at=s.created_at,
                  last_used_at=s.last_used_at, current=s.id == request.auth.session_id)
        for s in account_sessions(account_id=request.auth.account_id)
    ]


@router.delete("/devices/{device_id}", auth=MemberToken(), response={204: None, **errors(401, 404, 422, 429)},
               summary="Log one device out")
def device_logout(request: HttpRequest, device_id: str = Path(..., pattern=DEVICE_ID)):
    device_revoke(account_id=request.auth.account_id, device_id=device_id, now=timezone.now())
    return Status(204, None)
