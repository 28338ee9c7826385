"""Layanan → Cek Saldo JHT: a PIN by SMS first, then every KPJ's balances, statement and iuran."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saldo.core.errors import NotFound
from saldo.identity.accounts import account_subject
from saldo.identity.models import OneTimePin
from saldo.identity.pins import PinExhausted, PinExpired, PinRateLimited, PinWrong, pin_verify
from saldo.portal import access
from saldo.portal.forms import BalancePinForm
from saldo.portal.services import balance_pin_send, cards_disclose, statement_disclose, statements_disclose
from saldo.portal.statement_pdf import statement_pdf
from saldo.portal.templatetags.portal import masked_phone

# Where a confirmed PIN leads: the balance (Cek Saldo), the card or the JHT claims.
DESTINATIONS = {"saldo": "portal:balance", "kartu": "portal:cards", "klaim": "portal:claims"}


def _destination(request: HttpRequest) -> str:
    key = request.POST.get("ke") or request.GET.get("ke") or "saldo"
    return key if key in DESTINATIONS else "saldo"


def _pin_page(key: str) -> str:
    return f"{reverse('portal:balance-pin')}?ke={key}"


def unlocked_required(key: str):
    """A page behind the Cek Saldo PIN: without a confirmed one, the member is sent to ask for it."""

    def decorate(view):
        @access.member_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not access.balance_unlocked(request, now=timezone.now()):
                return redirect(_pin_page(key))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@require_http_methods(["GET", "POST"])
@access.member_required
def balance_pin(request: HttpRequest) -> HttpResponse:
    key = _destination(request)
    now = timezone.now()
    if access.balance_unlocked(request, now=now):
        return redirect(DESTINATIONS[key])
    form = BalancePinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        subject = account_subject(request.account)
        try:
            pin_verify(purpose=OneTimePin.Purpose.BALANCE, subject=subject, code=form.cleaned_data["pin"], now=now)
        except PinWrong as wrong:
            form.add_error("pin", wrong.message)
        except (PinExhausted, PinExpired) as dead:
            # This PIN is spent: only a new one helps, so the page offers just that.
            access.balance_pin_mark_sent(request, False)
            messages.error(request, dead.message)
            return redirect(_pin_page(key))
        else:
            access.balance_unlock(request, now=now)
            return redirect(DESTINATIONS[key])
    context = {
        "form": form,
        "key": key,
        "pin_sent": access.balance_pin_sent(request),
        "phone": masked_phone(request.account.person.phone),
        "minutes": settings.SALDO_PINS["VALID_MINUTES"],
        "tries": settings.SALDO_PINS["MAX_TRIES"],
    }
    return render(request, "portal/balance_pin.html", context)


@require_POST
@access.member_required
def balance_pin_request(request: HttpRequest) -> HttpResponse:
    key = _destination(request)
    try:
        issued = balance_pin_send(account=request.account, now=timezone.now())
    except PinRateLimited as limited:
        retry = time_format(timezone.localtime(limited.retry_at), "H:i")
        messages.error(request, _("%(message)s Coba lagi setelah pukul %(time)s.") % {
            "message": limited.message, "time": retry})
    else:
        access.balance_pin_mark_sent(request)
        minutes = round((issued.expires_at - timezone.now()).total_seconds() / 60)
        messages.success(request, _("PIN dikirim lewat SMS ke %(phone)s. Berlaku %(minutes)d menit.") % {
            "phone": masked_phone(request.account.person.phone), "minutes": minutes})
    return redirect(_pin_page(key))


@require_GET
@unlocked_required("saldo")
def balance(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    overview = statements_disclose(account=request.account, as_of=timezone.localdate(now), now=now)
    return render(request, "portal/balance.html", {"overview": overview, "account": request.account})


@require_GET
@unlocked_required("saldo")
def balance_pdf(request: HttpRequest, kpj: str) -> HttpResponse:
    now = timezone.now()
    try:
        statement = statement_disclose(account=request.account, kpj=kpj, as_of=timezone.localdate(now), now=now)
    except NotFound:
        raise Http404() from None
    body = statement_pdf(statement=statement, name=request.account.person.name, made_at=now)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="saldo-{kpj}-{statement.as_of.isoformat()}.pdf"'
    return response


@require_GET
@unlocked_required("kartu")
def cards(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    found = cards_disclose(account=request.account, now=now)
    return render(request, "portal/cards.html", {"cards": found, "account": request.account})
