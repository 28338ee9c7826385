"""A contact change end to end on a 360-px phone in Chromium: a member who lost her phone asks at
/ganti-kontak/ with real e-KTP and selfie pictures, the old phone and email are told at once, a
registry clerk sees her data beside the photos in the admin and approves, nothing changes during
the cooling-off, and after it she registers with the new phone. The old owner's "not me" during
the cooling-off cancels the change and freezes access until a clerk opens it again; the clerk who
entered a request cannot approve it. A screenshot of each page under test-artifacts/portal/."""

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from saldo.audit.models import Disclosure
from saldo.identity.contacts import (
    ContactChangeRequest,
    Photo,
    contact_change_approve,
    contact_change_request,
    contact_changes_apply,
)
from saldo.identity.models import AccessFreeze, ContactChange
from saldo.registry.models import Person
from saldo.staff.roles import Role
from saldo.staff.services import staff_actor
from tests.factories import JPG_BYTES, PNG_BYTES, make_staff
from tests.portal.browser.conftest import PHONE_HEIGHT, PHONE_WIDTH, pin_received
from tests.portal.browser.test_portal_in_chromium import alert_texts, login, submit
from tests.portal.conftest import EMAIL, PHONE

NEW_PHONE = "+6285711112222"
NEW_EMAIL = "neng.baru@example.com"
NEW_PASSWORD = "baru-Saldo-2027"
CLERK_PASSWORD = "petugas-Saldo-2027"
# What the member's page and the notice say of the new phone.
NEW_PHONE_MASKED = "+62857*****222"

NOT_ON_RECORD = (
    "Nomor ponsel atau email yang Anda isi tidak sama dengan yang tercatat pada data kepesertaan Anda. Jika nomor "
    "atau email Anda sudah berganti, ajukan perubahan data kontak dengan foto e-KTP dan swafoto."
)
FROZEN = (
    'Akses online dan klaim untuk data kepesertaan ini dibekukan karena laporan "bukan saya". Hubungi kantor '
    "cabang atau layanan pelanggan untuk membukanya."
)
APPROVE = "Setujui (berlaku setelah masa tenggang)"
OPEN_AGAIN = "Buka kembali akses (sudah diperiksa bersama peserta)"
WHEN = r"\d\d-\d\d-\d{4} \d\d:\d\d WIB"


@dataclass(frozen=True)
class Pictures:
    ktp: Path  # a JPG, 160 × 100
    selfie: Path  # a PNG, 120 × 160


@pytest.fixture
def pictures(browser, tmp_path) -> Pictures:
    """Real pictures a phone would upload, made by Chromium itself: a JPG of a card and a PNG of a
    face holding it (tests.factories' JPG_BYTES and PNG_BYTES only start like images)."""
    camera = browser.new_page(viewport={"width": 160, "height": 100}, device_scale_factor=1)
    camera.set_content('<body style="margin:0;background:#1d5fa8;color:#fff;font:20px sans-serif">e-KTP</body>')
    camera.screenshot(path=str(tmp_path / "ktp.jpg"), type="jpeg")
    camera.set_viewport_size({"width": 120, "height": 160})
    camera.set_content('<body style="margin:0;background:#e0b080;font:40px sans-serif">&#9786;</body>')
    camera.screenshot(path=str(tmp_path / "selfie.png"), type="png")
    camera.close()
    return Pictures(ktp=tmp_path / "ktp.jpg", selfie=tmp_path / "selfie.png")


@pytest.fixture
def clerk_page(browser, portal):
    """A registry clerk's browser, in Bahasa Indonesia, beside the member's; it too must ask no
    other host for anything and log no error."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, device_scale_factor=1, locale="id-ID"
    )
    page = context.new_page()
    page.foreign_requests, page.console_errors = [], []
    page.on("request", lambda r: None if r.url.startswith(portal) else page.foreign_requests.append(r.url))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert page.foreign_requests == []
    assert page.console_errors == []


def registry_clerk(username: str):
    clerk = make_staff(Role.REGISTRY_CLERK, username=username)
    clerk.set_password(CLERK_PASSWORD)
    clerk.save(update_fields=["password"])
    return clerk


def admin_login(page, portal, username: str) -> None:
    page.goto(f"{portal}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", CLERK_PASSWORD)
    with page.expect_navigation():
        page.click("#login-form [type=submit]")
    assert page.url == f"{portal}/admin/"


def admin_action(page, portal, changelist: str, row_id: int, action: str) -> list[str]:
    """Tick one row of an admin list, run `action` on it; the messages the admin shows."""
    page.goto(f"{portal}/admin/identity/{changelist}/")
    page.check(f"input[name=_selected_action][value='{row_id}']")
    page.select_option("select[name=action]", label=action)
    with page.expect_navigation():
        page.click("button[name=index]")
    return [t.strip() for t in page.locator("ul.messagelist li").all_inner_texts()]


def identity_fill(page, member) -> None:
    page.get_by_label("Nomor KPJ aktif").fill(member.kpj)
    page.get_by_label("Nama lengkap").fill("Neng Kurniasih")
    page.get_by_label("Tanggal lahir").fill("07-10-1987")
    page.get_by_label("NIK (nomor e-KTP)").fill(member.person.nik)
    page.get_by_label("Nama ibu kandung").fill("Ratna")


def register(page, portal, member, *, phone: str, email: str) -> None:
    page.goto(f"{portal}/daftar/")
    identity_fill(page, member)
    page.get_by_label("Nomor ponsel").fill(phone)
    page.get_by_label("Email").fill(email)
    submit(page, "Daftar")


def texts_to(gateway, phone: str) -> list[str]:
    return [r["text"] for r in gateway.requests if r.get("to") == phone]


def report_code(text: str) -> str:
    return re.search(r"BUKAN ([2-9A-Z]{8}) ke 2757$", text).group(1)


def after_the_cooling_off():
    """The clock moved forward past the cooling-off (never back: the browsers keep their cookies)."""
    hours = settings.SALDO_ACCOUNTS["CONTACT_CHANGE_COOLING_HOURS"]
    return time_machine.travel(timezone.now() + timedelta(hours=hours, minutes=5), tick=True)


def change_request(member, *, entered_by: str, channel: str) -> ContactChange:
    person = member.person
    request = ContactChangeRequest(
        kpj=member.kpj, nik=person.nik, birth_date=person.birth_date, name=person.name,
        mother_maiden_name=person.mother_maiden_name, phone="0857-1111-2222", email="",
        ktp_photo=Photo("ktp.jpg", JPG_BYTES), selfie_photo=Photo("selfie.png", PNG_BYTES),
    )
    return contact_change_request(request=request, channel=channel, entered_by=entered_by, now=timezone.now())


def test_a_member_who_lost_her_phone_changes_it_and_registers_with_the_new_one(
    page, clerk_page, portal, shoot, sms_gateway, member, pictures
):
    page.goto(f"{portal}/daftar/")
    page.get_by_role("link", name="Ajukan perubahan data kontak").click()
    page.wait_for_load_state()
    assert page.url == f"{portal}/ganti-kontak/"
    identity_fill(page, member)
    page.get_by_label("Nomor ponsel baru").fill("0857 1111 2222")
    page.get_by_label("Email baru").fill(NEW_EMAIL)
    page.get_by_label("Foto e-KTP", exact=True).set_input_files(pictures.ktp)
    page.get_by_label("Swafoto sambil memegang e-KTP").set_input_files(pictures.selfie)
    shoot("contact-change")
    submit(page, "Kirim permintaan")

    assert page.url == f"{portal}/ganti-kontak/terkirim/"
    assert page.get_by_role("heading", level=1).inner_text() == "Permintaan diterima"
    shoot("contact-change-sent")
    change = ContactChange.objects.get()
    assert (change.status, change.phone, change.email, change.old_phone, change.old_email) == (
        "waiting", NEW_PHONE, NEW_EMAIL, PHONE, EMAIL)
    # The old contacts on record are told at once, the new ones nothing yet.
    [notice] = texts_to(sms_gateway, PHONE)
    assert re.fullmatch(rf"Saldo: permintaan ganti kontak ke \+62857\*{{5}}222 diajukan, {WHEN} lewat situs web\. "
                        r"Bukan Anda\? Balas BUKAN [2-9A-Z]{8} ke 2757", notice), notice
    assert texts_to(sms_gateway, NEW_PHONE) == []
    assert [(m.to, m.subject) for m in mail.outbox] == [([EMAIL], "Pemberitahuan keamanan Saldo")]
    assert f"masukkan kode {report_code(notice)}" in mail.outbox[0].body and "/bukan-saya/" in mail.outbox[0].body

    registry_clerk("clerk1")
    admin_login(clerk_page, portal, "clerk1")
    clerk_page.get_by_role("link", name="Perubahan kontak").first.click()
    clerk_page.wait_for_load_state()
    shoot("admin-contact-changes", clerk_page)
    clerk_page.get_by_role("link", name=str(change.id), exact=True).click()
    clerk_page.wait_for_load_state()
    member_data = clerk_page.locator(".field-member").inner_text()
    assert "NENG KURNIASIH" in member_data and member.person.nik in member_data
    assert f"{PHONE} → {NEW_PHONE}" in member_data and f"{EMAIL} → {NEW_EMAIL}" in member_data
    # Both pictures really load and are the ones uploaded (their own sizes).
    photos = clerk_page.locator(".field-photos img").evaluate_all(
        "imgs => imgs.map(i => [i.alt, i.complete, i.naturalWidth, i.naturalHeight])")
    assert photos == [["foto e-KTP", True, 160, 100], ["swafoto", True, 120, 160]]
    assert sorted(Disclosure.objects.values_list("recipient", "kpj", "what")) == [
        ("clerk1", member.kpj, "identity_photo_ktp"), ("clerk1", member.kpj, "identity_photo_selfie")]
    shoot("admin-contact-change", clerk_page)

    assert admin_action(clerk_page, portal, "contactchange", change.id, APPROVE) == [f"Berhasil: {change.id}"]
    shoot("admin-approved", clerk_page)
    change.refresh_from_db()
    assert (change.status, change.reviewed_by) == ("approved", "staff:clerk1")
    assert change.effective_at - change.reviewed_at == timedelta(hours=72)

    # During the cooling-off the new contacts are not on record: registering with them opens nothing.
    assert contact_changes_apply(now=timezone.now()) == 0
    register(page, portal, member, phone="0857 1111 2222", email=NEW_EMAIL)
    assert page.url == f"{portal}/daftar/"
    assert alert_texts(page) == [NOT_ON_RECORD]
    shoot("register-during-cooling-off")
    assert (Person.objects.filter(id=member.person_id).values_list("phone", "email").get()) == (PHONE, EMAIL)
    assert texts_to(sms_gateway, NEW_PHONE) == []

    with after_the_cooling_off():
        assert contact_changes_apply(now=timezone.now()) == 1
        assert Person.objects.filter(id=member.person_id).values_list("phone", "email").get() == (NEW_PHONE, NEW_EMAIL)
        assert ContactChange.objects.get().status == "done"
        # The contacts now on record hear of each change.
        phone_changed, email_changed = texts_to(sms_gateway, NEW_PHONE)
        assert re.fullmatch(rf"Saldo: nomor ponsel tercatat diganti ke \+62857\*{{5}}222, {WHEN} lewat petugas\. "
                            r"Bukan Anda\? Balas BUKAN [2-9A-Z]{8} ke 2757", phone_changed), phone_changed
        assert re.fullmatch(rf"Saldo: email tercatat diganti ke n\*{{3}}@example\.com, {WHEN} lewat petugas\. "
                            r"Bukan Anda\? Balas BUKAN [2-9A-Z]{8} ke 2757", email_changed), email_changed
        assert [m.to for m in mail.outbox[-2:]] == [[NEW_EMAIL], [NEW_EMAIL]]

        register(page, portal, member, phone="0857 1111 2222", email=NEW_EMAIL)
        assert page.url == f"{portal}/daftar/aktivasi/"
        assert alert_texts(page) == [
            f"PIN aktivasi dikirim lewat SMS ke nomor tercatat {NEW_PHONE_MASKED} dan ke email tercatat."]
        shoot("register-with-new-phone")
        assert [t for t in texts_to(sms_gateway, PHONE) if t.startswith("PIN Saldo")] == []
        assert mail.outbox[-1].to == [NEW_EMAIL]
        page.get_by_label("PIN dari SMS").fill(pin_received(sms_gateway, NEW_PHONE))
        page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
        submit(page, "Aktifkan akun")
        assert alert_texts(page) == ["Akun Anda sudah aktif. Silakan masuk dengan email dan kata sandi Anda."]

        page.get_by_label("Email").fill(NEW_EMAIL)
        page.get_by_label("Kata sandi").fill(NEW_PASSWORD)
        submit(page, "Masuk")
        assert page.url == f"{portal}/layanan/"


def test_not_me_during_the_cooling_off_cancels_the_change_and_freezes_access_until_a_clerk_opens_it(
    page, clerk_page, portal, shoot, sms_gateway, account
):
    member = account.person.memberships.get()
    change = change_request(member, entered_by="member:web", channel="web")
    contact_change_approve(change_id=change.id, actor=staff_actor(registry_clerk("clerk1")), now=timezone.now())
    [notice] = [t for t in texts_to(sms_gateway, PHONE) if "permintaan ganti kontak" in t]

    # The old owner, who asked for nothing, reports it with the code the SMS gave.
    page.goto(f"{portal}/bukan-saya/")
    page.get_by_label("Kode laporan").fill(report_code(notice))
    shoot("not-me")
    submit(page, "Laporkan dan bekukan")
    assert page.get_by_role("heading", level=1).inner_text() == "Laporan diterima"
    shoot("not-me-done")
    assert ContactChange.objects.get().status == "cancelled"
    assert AccessFreeze.objects.filter(person=account.person, cleared_at__isnull=True).count() == 1
    assert re.fullmatch(rf"Saldo: akses online dan klaim dibekukan atas laporan Anda, {WHEN} lewat situs web\. "
                        r"Bukan Anda\? Balas BUKAN [2-9A-Z]{8} ke 2757", texts_to(sms_gateway, PHONE)[-1])

    with after_the_cooling_off():
        assert contact_changes_apply(now=timezone.now()) == 0
        assert Person.objects.filter(id=account.person_id).values_list("phone", "email").get() == (PHONE, EMAIL)
        assert texts_to(sms_gateway, NEW_PHONE) == []

        register(page, portal, member, phone="0815 4817 745", email=EMAIL)
        assert alert_texts(page) == [FROZEN]
        shoot("register-frozen")
        login(page, portal)
        assert page.url == f"{portal}/masuk/" and alert_texts(page) == [FROZEN]
        shoot("login-frozen")

        registry_clerk("clerk2")
        admin_login(clerk_page, portal, "clerk2")
        clerk_page.goto(f"{portal}/admin/identity/contactchange/")
        assert clerk_page.locator(f"#result_list tr:has(a:text-is('{change.id}')) td.field-status").inner_text() == (
            "dibatalkan")
        shoot("admin-change-cancelled", clerk_page)
        freeze = AccessFreeze.objects.get()
        assert admin_action(clerk_page, portal, "accessfreeze", freeze.id, OPEN_AGAIN) == [f"Berhasil: {freeze.id}"]
        shoot("admin-access-opened", clerk_page)
        assert AccessFreeze.objects.get().cleared_by == "staff:clerk2"

        login(page, portal)
        assert page.url == f"{portal}/layanan/"


def test_the_clerk_who_entered_a_request_at_a_branch_cannot_approve_it(clerk_page, portal, shoot, member):
    clerk = registry_clerk("clerk1")
    change = change_request(member, entered_by=staff_actor(clerk), channel="staff")
    admin_login(clerk_page, portal, "clerk1")
    assert admin_action(clerk_page, portal, "contactchange", change.id, APPROVE) == [
        f"#{change.id}: Perubahan kontak harus disetujui petugas lain, bukan yang memasukkannya (prinsip empat mata)."
    ]
    shoot("admin-four-eyes", clerk_page)
    assert ContactChange.objects.get().status == "waiting"
