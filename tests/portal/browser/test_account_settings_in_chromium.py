"""Pengaturan akun on a 360-px phone in Chromium: the settings page with a bound number and an app
device, a new phone in three steps with the PINs the SMS gateway received, and a new password; a
screenshot of each page under test-artifacts/portal/."""

from saldo.registry.models import Person
from tests.api.conftest import sign_in
from tests.factories import bind_phone
from tests.portal.browser.conftest import pin_received
from tests.portal.browser.test_portal_in_chromium import alert_texts, login, submit
from tests.portal.conftest import EMAIL, PASSWORD, PHONE

NEW_PHONE = "+6285711112222"
NEW_PASSWORD = "Saldo-baru-2027!"


def test_a_new_phone_in_three_steps_then_a_new_password(page, portal, shoot, sms_gateway, account, member):
    bind_phone(member, PHONE)
    sign_in(member, email=EMAIL, phone=PHONE, device_id="pixel-7a", device_name="Pixel 7a")
    login(page, portal)
    page.get_by_role("link", name="Pengaturan akun").click()
    page.wait_for_load_state()
    assert page.url == f"{portal}/layanan/akun/"
    assert page.get_by_role("button", name="Keluarkan Pixel 7a").count() == 1
    assert page.get_by_role("button", name=f"Akhiri {PHONE}").count() == 1
    shoot("settings")

    page.get_by_role("link", name="Ganti nomor ponsel").click()
    page.get_by_label("Nomor ponsel baru").fill("0857 1111 2222")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    shoot("phone")
    submit(page, "Kirim PIN")
    assert alert_texts(page) == ["PIN dikirim lewat SMS ke nomor tercatat +62815****745."]
    page.get_by_label("PIN dari SMS").fill(pin_received(sms_gateway, PHONE))
    shoot("phone-old-pin")
    submit(page, "Lanjut")
    assert alert_texts(page) == ["PIN dikirim ke +62857*****222."]
    page.get_by_label("PIN dari SMS").fill(pin_received(sms_gateway, NEW_PHONE))
    shoot("phone-new-pin")
    submit(page, "Lanjut")

    assert page.url == f"{portal}/layanan/akun/"
    assert alert_texts(page) == ["Nomor ponsel tercatat sudah diganti."]
    assert Person.objects.get(id=member.person_id).phone == NEW_PHONE
    assert page.get_by_text("Belum ada nomor yang terdaftar untuk SMS atau WhatsApp.").count() == 1
    shoot("settings-after")

    page.get_by_role("link", name="Ganti kata sandi").click()
    page.get_by_label("Kata sandi sekarang").fill(PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    shoot("password")
    submit(page, "Simpan kata sandi")
    assert alert_texts(page) == ["Kata sandi Anda sudah diganti. Perangkat lain sudah dikeluarkan."]
    assert page.get_by_text("Tidak ada perangkat aplikasi yang masuk ke akun Anda.").count() == 1
