from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    title = _("Saldo — layanan peserta JHT")
    body = _("Layanan berjalan. Gunakan perintah `saldo statement KPJ` untuk melihat saldo.")
    return HttpResponse(
        f"<!doctype html><html lang='id'><meta charset='utf-8'><title>{title}</title>"
        f"<h1>{title}</h1><p>{body}</p></html>"
    )


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
