"""A member's way through the portal on a 360-px phone in Chromium: registration with the PIN
the SMS gateway received, login, Cek Saldo with its PIN, three wrong PINs, logout; a screenshot
of each page under test-artifacts/portal/."""

import re

from django.core import mail
from django.utils import timezone

from saldo.audit.models import Disclosure
from saldo.core.money import format_rupiah
from saldo.statements.selectors import statement_get
from tests.portal.browser.conftest import pin_received
from tests.portal.conftest import EMAIL, PASSWORD, PHONE

NEW_PASSWORD = "baru-Saldo-2027"


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def alert_texts(page) -> list[str]:
    return [t.strip() for t in page.locator("[role=alert], [role=status], p.error").all_inner_texts()]


def login(page, portal, shoot=None, *, password=PASSWORD) -> None:
    page.goto(f"{portal}/masuk/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(password)
    if shoot:
        shoot("login")
    submit(page, "Masuk")


def test_register_log_in_check_the_balance_and_log_out(page, portal, shoot, sms_gateway, member):
    page.goto(portal)
    assert page.locator("html").get_attribute("lang") == "id"  # even though the browser asks for English
    shoot("home")

    page.get_by_role("link", name="Daftar akun").click()
    page.get_by_label("Nomor KPJ aktif").fill(member.kpj)
    page.get_by_label("Nama lengkap").fill("Neng Kurniasih")
    page.get_by_label("Tanggal lahir").fill("07-10-1987")
    page.get_by_label("NIK (nomor e-KTP)").fill(member.person.nik)
    page.get_by_label("Nama ibu kandung").fill("ratna")
    page.get_by_label("Nomor ponsel").fill("0815 4817 745")
    page.get_by_label("Email").fill(EMAIL)
    shoot("register")
    submit(page, "Daftar")

    assert page.url == f"{portal}/daftar/aktivasi/"
    assert alert_texts(page) == [
        "PIN aktivasi dikirim lewat SMS ke nomor tercatat +62815****745 dan ke email tercatat."]
    pin = pin_received(sms_gateway, PHONE)
    assert [m.to for m in mail.outbox] == [[EMAIL]] and pin in mail.outbox[0].body
    page.get_by_label("PIN dari SMS").fill(pin)
    page.get_by_label("Kata sandi baru", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(PASSWORD)
    shoot("activate")
    submit(page, "Aktifkan akun")

    assert page.url == f"{portal}/masuk/"
    assert alert_texts(page) == ["Akun Anda sudah aktif. Silakan masuk dengan email dan kata sandi Anda."]
    login(page, portal, shoot)

    assert page.url == f"{portal}/layanan/"
    shoot("services")
    page.get_by_role("link", name=re.compile("^Cek Saldo JHT")).click()
    page.wait_for_load_state()
    shoot("cek-saldo")
    submit(page, "Kirim PIN lewat SMS")
    assert alert_texts(page) == ["PIN dikirim lewat SMS ke ****7745. Berlaku 5 menit."]
    shoot("cek-saldo-pin")
    page.get_by_label("PIN dari SMS").fill(pin_received(sms_gateway, PHONE))
    submit(page, "Lanjut")

    assert page.url == f"{portal}/layanan/saldo/"
    statement = statement_get(kpj=member.kpj, as_of=timezone.localdate())
    assert page.locator(".amounts dd.big").inner_text() == format_rupiah(statement.programmes["JHT"].balance)
    assert "PT PRIMA SUKSES" in page.inner_text("main") and "Aktif" in page.inner_text(".kpj h2")
    shoot("saldo")
    page.get_by_text("Iuran per bulan").click()
    page.get_by_text("Laporan tahunan", exact=True).click()
    assert page.locator("tr.gap").count() == 1
    shoot("saldo-details")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh laporan (PDF)").click()
    assert download.value.suggested_filename.startswith(f"saldo-{member.kpj}-")

    page.get_by_role("link", name="Lihat kartu digital").click()
    page.wait_for_load_state()
    assert page.locator(".card-kpj").inner_text() == member.kpj
    assert page.locator("svg.qr").count() == 1
    shoot("kartu")
    assert list(Disclosure.objects.order_by("id").values_list("what", flat=True)) == [
        "statement", "statement-pdf", "card"
    ]

    submit(page, "Keluar")
    assert page.url == f"{portal}/masuk/" and alert_texts(page) == ["Anda sudah keluar."]
    shoot("logged-out")
    page.goto(f"{portal}/layanan/saldo/")
    assert page.url.startswith(f"{portal}/masuk/")


def test_three_wrong_pins_then_a_new_one(page, portal, shoot, sms_gateway, account):
    login(page, portal)
    page.goto(f"{portal}/layanan/cek-saldo/?ke=saldo")
    submit(page, "Kirim PIN lewat SMS")
    right = pin_received(sms_gateway, PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for left in (2, 1):
        page.get_by_label("PIN dari SMS").fill(wrong)
        submit(page, "Lanjut")
        assert f"PIN salah. Sisa percobaan: {left}." in alert_texts(page)[-1]
        shoot(f"pin-wrong-{3 - left}")
    page.get_by_label("PIN dari SMS").fill(wrong)
    submit(page, "Lanjut")
    assert alert_texts(page) == ["PIN salah terlalu banyak. Silakan minta PIN baru."]
    assert page.get_by_label("PIN dari SMS").count() == 0  # only a new PIN helps now
    shoot("pin-exhausted")
    submit(page, "Kirim PIN lewat SMS")
    fresh = pin_received(sms_gateway, PHONE)
    page.get_by_label("PIN dari SMS").fill(fresh)
    submit(page, "Lanjut")
    assert page.url == f"{portal}/layanan/saldo/"


def test_a_mismatch_says_nothing_of_which_field_and_english_is_a_click_away(page, portal, shoot, member):
    page.goto(f"{portal}/daftar/")
    page.get_by_label("Nomor KPJ aktif").fill(member.kpj)
    page.get_by_label("Nama lengkap").fill("NENG KURNIASIH")
    page.get_by_label("Tanggal lahir").fill("07-10-1987")
    page.get_by_label("NIK (nomor e-KTP)").fill(member.person.nik)
    page.get_by_label("Nama ibu kandung").fill("SRI")
    page.get_by_label("Nomor ponsel").fill("08154817745")
    page.get_by_label("Email").fill(EMAIL)
    submit(page, "Daftar")
    assert alert_texts(page) == [
        "Data yang Anda isi tidak cocok dengan data kepesertaan. Periksa kembali semua isian."
    ]
    shoot("register-refused")
    submit(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Register"
    shoot("register-english")
    page.goto(f"{portal}/masuk/")
    page.get_by_label("Email").fill("siapa@example.com")
    page.get_by_label("Password").fill("x")
    submit(page, "Log in")
    assert alert_texts(page) == ["Wrong email or password."]
    shoot("login-refused-english")


def test_forgotten_password_by_a_code_in_the_mail(page, portal, shoot, account):
    sent = []  # every request the browser makes, with the Referer it sends: what any log can see
    page.on("request", lambda r: sent.append(f"{r.method} {r.url} referer={r.headers.get('referer', '')}"))
    page.goto(f"{portal}/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Email akun Anda").fill(EMAIL)
    shoot("reset-request")
    submit(page, "Kirim kode")
    assert page.url == f"{portal}/atur-kata-sandi/"
    assert page.get_by_label("Email akun Anda").input_value() == EMAIL
    shoot("reset-confirm")
    code = re.search(r"^\s+(\d{4} \d{4})\s*$", mail.outbox[-1].body, flags=re.M).group(1)
    assert f"{portal}/atur-kata-sandi/" in mail.outbox[-1].body
    page.get_by_label("Kode dari email").fill(code)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    shoot("reset-code-typed")
    submit(page, "Simpan kata sandi")
    assert page.url == f"{portal}/masuk/"
    assert alert_texts(page) == ["Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru."]
    login(page, portal, password=NEW_PASSWORD)
    assert page.url == f"{portal}/layanan/"
    assert any("POST" in s and "/atur-kata-sandi/" in s for s in sent)
    assert [s for s in sent if code in s or code.replace(" ", "") in s or code.replace(" ", "+") in s] == []


def test_the_keyboard_reaches_everything_in_reading_order_with_a_visible_focus(page, portal):
    page.goto(f"{portal}/masuk/")
    order, outlines = [], []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate(
            "() => { const e = document.activeElement; return e.id || e.getAttribute('href') || e.textContent.trim() }"
        ))
        outlines.append(page.evaluate("getComputedStyle(document.activeElement).outlineStyle"))
    assert order == ["#main", "/", "English", "id_email", "id_password", "Masuk", "/lupa-kata-sandi/", "/daftar/"]
    assert outlines == ["solid"] * 8
