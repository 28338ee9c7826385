"""The member portal at the site root. Every page goes through security.portal_page."""

from django.urls import path
from django.views.i18n import set_language

from saldo.portal.security import portal_page
from saldo.portal.views import account, balance, claims, pages, password, registration, security, session

app_name = "portal"

_pages = [
    ("", pages.home, "home"),
    ("daftar/", registration.register, "register"),
    ("daftar/aktivasi/", registration.activate, "activate"),
    ("daftar/aktivasi/kirim-ulang/", registration.activation_resend, "activation-resend"),
    ("masuk/", session.login_view, "login"),
    ("keluar/", session.logout_view, "logout"),
    ("masuk/pin/", session.login_pin_request, "login-pin"),
    ("masuk/pin/masukkan/", session.login_pin_enter, "login-pin-enter"),
    ("ganti-kontak/", security.contact_change, "contact-change"),
    ("ganti-kontak/terkirim/", security.contact_change_sent, "contact-change-sent"),
    ("bukan-saya/", security.not_me, "not-me"),
    ("lupa-kata-sandi/", password.reset_request, "reset-request"),
    ("atur-kata-sandi/", password.reset_confirm, "reset-confirm"),
    ("layanan/", pages.services, "services"),
    ("layanan/cek-saldo/", balance.balance_pin, "balance-pin"),
    ("layanan/cek-saldo/kirim-pin/", balance.balance_pin_request, "balance-pin-request"),
    ("layanan/saldo/", balance.balance, "balance"),
    ("layanan/saldo/<str:kpj>.pdf", balance.balance_pdf, "balance-pdf"),
    ("layanan/kartu/", balance.cards, "cards"),
    ("layanan/klaim/", claims.claims, "claims"),
    ("layanan/klaim/<str:kpj>/perkiraan/", claims.claim_estimate, "claim-estimate"),
    ("layanan/klaim/<str:kpj>/ajukan/", claims.claim_apply, "claim-apply"),
    ("layanan/klaim/status/<str:number>/", claims.claim_detail, "claim"),
    ("layanan/klaim/status/<str:number>/batal/", claims.claim_cancel_view, "claim-cancel"),
    ("layanan/akun/", account.settings_page, "account"),
    ("layanan/akun/kata-sandi/", account.password_page, "account-password"),
    ("layanan/akun/ponsel/", account.phone_page, "account-phone"),
    ("layanan/akun/ponsel/pin/", account.phone_pin_page, "account-phone-pin"),
    ("layanan/akun/email/", account.email_page, "account-email"),
    ("layanan/akun/email/pin/", account.email_pin_page, "account-email-pin"),
    ("layanan/akun/perangkat/keluar/", account.device_logout, "account-device-logout"),
    ("layanan/akun/perangkat/keluar-semua/", account.devices_logout_all, "account-devices-logout-all"),
    ("layanan/akun/nomor/akhiri/", account.binding_end, "account-binding-end"),
    ("bahasa/", set_language, "language"),
]

urlpatterns = [path(route, portal_page(view), name=name) for route, view, name in _pages]
