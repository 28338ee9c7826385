"""Conversations with the bot, end to end: signed webhooks in, Graph API requests out.

A member says "halo" and gets the menu; taps lead to balance, status, card, the last 12 months
of iuran and the JHT claim, for the number's only KPJ or one picked from a list; typed commands get the
SMS short code's answers. Nothing about a KPJ goes to a number not bound to it, and every
disclosure is audited."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from saldo.audit.models import Disclosure
from saldo.cards.verification import card_verify
from saldo.channels.commands.handlers import reply_to
from saldo.channels.whatsapp.messages import MAX_BODY, MAX_ROW_DESCRIPTION, MAX_ROW_TITLE, MAX_ROWS
from saldo.channels.whatsapp.models import GraphMessage
from saldo.channels.whatsapp.transport import card_png
from saldo.claims.services import claim_submit, member_actor
from saldo.core.periods import add_months, add_years, format_period, month_start
from tests.channels.whatsapp import cloud_api
from tests.channels.whatsapp.conftest import PHONE, WA_ID
from tests.factories import (
    bank_account_open,
    bind_phone,
    claim_documents,
    make_employer,
    make_member,
    make_resigned_member,
    post_contribution,
)

KPJ = "68516716147"
MENU_ROWS = [
    ("menu:saldo", "Cek Saldo JHT"),
    ("menu:status", "Status Kepesertaan"),
    ("menu:kartu", "Kartu Digital"),
    ("menu:riwayat", "Riwayat Iuran"),
    ("menu:klaim", "Klaim JHT"),
    ("menu:bantuan", "Bantuan"),
    ("menu:daftar", "Daftarkan Nomor"),
]


def today() -> date:
    return timezone.localdate()


def last_due_month() -> date:
    """The latest month whose iuran is due: a month's iuran is due on the 15th of the next."""
    back = 2 if today().day <= 15 else 1
    return add_months(month_start(today()), -back)


def mm_yyyy(period: date) -> str:
    return f"{period:%m-%Y}"


@pytest.fixture
def member():
    """NENG, one KPJ bound to this WhatsApp number, iuran for the last three due months."""
    membership = make_member(
        kpj=KPJ,
        name="NENG KURNIASIH",
        start_date=date(2019, 1, 1),
        employer=make_employer(npp="10000001", name="PT PRIMA SUKSES"),
    )
    for back in range(3):
        post_contribution(membership, format_period(add_months(last_due_month(), -back)), 5_000_000)
    bind_phone(membership, PHONE)
    return membership


def disclosures():
    return list(Disclosure.objects.order_by("id").values_list("channel", "recipient", "kpj", "what"))


# The menu


def test_halo_gets_the_menu_of_services(chat, member):
    menu = chat.say("halo")
    assert menu.kind == "interactive" and menu.body["interactive"]["type"] == "list"
    assert menu.text == "Halo! Ini layanan informasi BPJS Ketenagakerjaan. Silakan pilih layanan."
    assert menu.options == MENU_ROWS
    assert menu.body["interactive"]["action"]["button"] == "Pilih layanan"
    assert menu.body["to"] == WA_ID


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_menu_keeps_within_meta_s_limits_for_list_rows(chat, member, settings, language):
    settings.LANGUAGE_CODE = language
    rows = chat.say("halo").body["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) <= MAX_ROWS
    for row in rows:
        assert len(row["title"]) <= MAX_ROW_TITLE and not row["title"].endswith("…")
        assert len(row["description"]) <= MAX_ROW_DESCRIPTION and not row["description"].endswith("…")


@pytest.mark.parametrize("text", ["Halo", "selamat pagi", "assalamualaikum", "MENU", "p", "?!"])
def test_any_greeting_or_unknown_text_gets_the_menu(chat, member, text):
    assert chat.say(text).options == MENU_ROWS


def test_a_number_not_yet_bound_is_told_to_register_first(chat):
    menu = chat.say("halo")
    assert "Nomor ini belum terhubung ke KPJ" in menu.text
    assert menu.options == MENU_ROWS


def test_bantuan_explains_the_service_under_the_menu(chat, member):
    chat.say("halo")
    help_ = chat.tap("Bantuan")
    assert help_.text.startswith("*Bantuan*\nKetik MENU kapan saja")
    assert "SALDO KPJ" in help_.text and "DAFTAR SALDO#NIK#NAMA#DD-MM-YYYY#KPJ#EMAIL" in help_.text
    assert help_.options == MENU_ROWS
    assert chat.say("BANTUAN").text == help_.text


def test_a_photo_gets_a_hint_and_the_menu(chat, member):
    photo = {
        "from": WA_ID,
        "id": cloud_api.new_wamid(),
        "timestamp": str(int(time.time())),
        "type": "image",
        "image": {"mime_type": "image/jpeg", "sha256": "abc", "id": "1234"},
    }
    (reply,) = chat.deliver(photo)
    assert reply.text.startswith("Maaf, pesan seperti ini belum bisa kami baca.")
    assert reply.options == MENU_ROWS


# Answers about one KPJ


def test_cek_saldo_from_the_menu(chat, member):
    chat.say("halo")
    balance = chat.tap("Cek Saldo JHT")
    assert balance.text == "\n".join(
        [
            f"*Saldo JHT* KPJ {KPJ}",
            f"per {today():%d-%m-%Y}",
            "JHT: Rp855.000",
            "JP: Rp450.000",
            f"Iuran terakhir diterima: {mm_yyyy(last_due_month())}",
        ]
    )
    assert balance.options == [(f"riwayat:{KPJ}", "Riwayat Iuran"), ("menu:utama", "Menu Utama")]
    assert disclosures() == [("whatsapp", PHONE, KPJ, "balance")]


def test_status_kepesertaan(chat, member):
    chat.say("halo")
    status = chat.tap("Status Kepesertaan")
    assert status.text == "\n".join(
        [
            f"*Status Kepesertaan* KPJ {KPJ}",
            f"per {today():%d-%m-%Y}: *aktif*",
            "Pemberi kerja: PT PRIMA SUKSES",
            "Peserta sejak: 01-01-2019",
        ]
    )
    assert disclosures() == [("whatsapp", PHONE, KPJ, "status")]


def test_kartu_digital_is_the_signed_card_as_a_qr_picture(chat, member):
    chat.say("halo")
    card = chat.tap("Kartu Digital")
    assert card.kind == "image"
    (upload,) = chat.graph.uploads
    assert card.body["image"]["id"] == upload.media_id
    assert upload.path == f"/v23.0/{cloud_api.PHONE_NUMBER_ID}/media"
    assert upload.authorization == f"Bearer {cloud_api.ACCESS_TOKEN}"
    assert upload.fields == {"messaging_product": "whatsapp", "type": "image/png"}
    assert upload.file.startswith(b"\x89PNG\r\n\x1a\n")

    # The picture is the QR code of a card this service signed, for this KPJ and person.
    payload = GraphMessage.objects.get(message__text=card.text).card_payload
    assert upload.file == card_png(payload)
    check = card_verify(payload=payload, now=timezone.now())
    assert check.valid
    assert (check.claims["kpj"], check.claims["name"], check.claims["status"]) == (KPJ, "NENG KURNIASIH", "aktif")

    expires = timezone.localtime(timezone.now() + timedelta(days=7))
    lines = card.text.splitlines()
    assert lines[:6] == [
        "*Kartu Digital BPJS Ketenagakerjaan*",
        "Nama: NENG KURNIASIH",
        f"KPJ: {KPJ}",
        "Status: aktif",
        "Pemberi kerja: PT PRIMA SUKSES",
        "Peserta sejak: 01-01-2019",
    ]
    assert lines[6].startswith(f"Berlaku sampai {expires:%d-%m-%Y} ")
    assert member.person.nik not in card.text
    assert disclosures() == [("whatsapp", PHONE, KPJ, "card")]


def test_riwayat_iuran_lists_the_last_12_months_and_flags_the_gaps(chat, member):
    chat.say("halo")
    history = chat.tap("Riwayat Iuran")
    months = [add_months(last_due_month(), -back) for back in range(11, -1, -1)]
    paid = "JHT Rp285.000, JP Rp150.000"
    expected = [f"{mm_yyyy(m)} {paid}" if m >= months[-3] else f"{mm_yyyy(m)} ⚠ tidak ada iuran" for m in months]
    assert history.text.splitlines() == [
        f"*Riwayat Iuran* KPJ {KPJ}, 12 bulan terakhir",
        *expected,
        "⚠ 9 bulan tanpa iuran. Tanyakan ke pemberi kerja Anda.",
    ]
    assert history.options == [(f"saldo:{KPJ}", "Cek Saldo JHT"), ("menu:utama", "Menu Utama")]
    assert disclosures() == [("whatsapp", PHONE, KPJ, "contributions")]


def test_a_history_without_gaps_says_so(chat):
    membership = make_member(kpj=KPJ, start_date=add_months(last_due_month(), -1))
    for back in range(2):
        post_contribution(membership, format_period(add_months(last_due_month(), -back)), 4_000_000)
    bind_phone(membership, PHONE)
    chat.say("halo")
    lines = chat.tap("Riwayat Iuran").text.splitlines()
    assert len(lines) == 4 and lines[-1] == "Tidak ada bulan tanpa iuran."


def test_the_buttons_under_an_answer_lead_on(chat, member):
    chat.say("halo")
    chat.tap("Cek Saldo JHT")
    assert chat.tap("Riwayat Iuran").text.startswith("*Riwayat Iuran*")
    assert chat.tap("Menu Utama").options == MENU_ROWS


# Several KPJ


@pytest.fixture
def iwan():
    """IWAN: three KPJ (two ended), all bound to this number."""
    first = make_member(
        kpj="90090801580",
        name="IWAN SUKMANA",
        sex="M",
        start_date=date(2005, 3, 1),
        end_date=date(2012, 6, 30),
        employer=make_employer(npp="20000001", name="PT LAMA"),
    )
    person = first.person
    second = make_member(
        kpj="99993494331",
        person=person,
        start_date=date(2012, 7, 1),
        end_date=date(2019, 12, 31),
        employer=make_employer(npp="20000002", name="CV TENGAH"),
    )
    current = make_member(
        kpj="34086313831",
        person=person,
        start_date=date(2020, 1, 1),
        employer=make_employer(npp="20000003", name="PT BARU"),
    )
    post_contribution(current, format_period(last_due_month()), 6_000_000)
    post_contribution(second, "2019-12", 3_000_000)
    for membership in (first, second, current):
        bind_phone(membership, PHONE)
    return current


def test_a_member_with_several_kpj_picks_one_from_a_list(chat, iwan):
    chat.say("halo")
    picker = chat.tap("Cek Saldo JHT")
    assert picker.body["interactive"]["type"] == "list"
    assert picker.text == "Nomor ini terhubung ke 3 KPJ. Pilih KPJ untuk *Cek Saldo JHT*."
    rows = picker.body["interactive"]["action"]["sections"][0]["rows"]
    assert [(r["id"], r["title"], r["description"]) for r in rows] == [
        ("saldo:34086313831", "34086313831", "PT BARU"),
        ("saldo:90090801580", "90090801580", "PT LAMA (berakhir 30-06-2012)"),
        ("saldo:99993494331", "99993494331", "CV TENGAH (berakhir 31-12-2019)"),
    ]
    balance = chat.tap("99993494331")
    assert balance.text.splitlines()[0] == "*Saldo JHT* KPJ 99993494331"
    assert "Iuran terakhir diterima: 12-2019" in balance.text
    assert [d[3] for d in disclosures()] == ["membership_list"] * 3 + ["balance"]


def test_typing_saldo_with_several_kpj_also_gets_the_list(chat, iwan):
    picker = chat.say("saldo")
    assert [option_id for option_id, _ in picker.options] == [
        "saldo:34086313831",
        "saldo:90090801580",
        "saldo:99993494331",
    ]
    status = chat.tap("34086313831", on=chat.say("STATUS"))
    assert status.text.startswith("*Status Kepesertaan* KPJ 34086313831")


# Klaim JHT: what SMS KLAIM answers, as a menu item

CLAIM_FOOTER = (
    "Perkiraan setelah pajak, dari saldo hari ini; jumlah yang dibayar dihitung pada hari pembayaran. "
    "Ajukan di portal atau aplikasi."
)
LEAVING = "mengundurkan diri, pemutusan hubungan kerja (PHK), berakhirnya kontrak kerja (PKWT)"


@pytest.fixture(autouse=True)
def document_root(tmp_path, settings):
    """Claims submitted here store their documents in the test's own folder."""
    settings.SALDO_CLAIMS = {**settings.SALDO_CLAIMS, "DOCUMENT_ROOT": tmp_path / "claim-documents"}


@pytest.fixture
def resigned():
    """RINA left her employer three months ago after a year of iuran (Rp5.000.000 wage, JHT
    Rp285.000 a month); her first membership began three years ago."""
    membership = make_resigned_member(
        kpj="55465628384",
        name="RINA WULANDARI",
        left_on=add_months(today(), -3),
        start_date=add_years(today(), -3),
        months=12,
    )
    bind_phone(membership, PHONE)
    return membership


def test_klaim_jht_tells_an_active_member_the_earliest_day(chat):
    """Working and 30 years old, member for two years: the first reason to open is the 10% partial
    claim after ten years of membership."""
    start = add_years(today(), -2)
    membership = make_member(kpj=KPJ, birth_date=add_years(today(), -30), start_date=start)
    post_contribution(membership, format_period(last_due_month()), 5_000_000)
    bind_phone(membership, PHONE)
    chat.say("halo")
    claim = chat.tap("Klaim JHT")
    assert claim.text.splitlines() == [
        f"*Klaim JHT* KPJ {KPJ}",
        f"per {today():%d-%m-%Y}",
        f"Belum dapat diklaim. Paling cepat {add_years(start, 10):%d-%m-%Y} (klaim sebagian 10%).",
    ]
    assert claim.options == [(f"saldo:{KPJ}", "Cek Saldo JHT"), ("menu:utama", "Menu Utama")]
    assert disclosures() == [("whatsapp", PHONE, KPJ, "claim")]


def test_klaim_jht_on_a_card_with_no_jht_money_says_there_is_nothing_to_claim(chat):
    bind_phone(make_member(kpj=KPJ, start_date=month_start(today())), PHONE)  # no iuran yet
    chat.say("halo")
    claim = chat.tap("Klaim JHT")
    assert claim.text.splitlines() == [
        f"*Klaim JHT* KPJ {KPJ}",
        f"per {today():%d-%m-%Y}",
        "Tidak ada saldo JHT yang dapat diklaim.",
    ]


def test_klaim_jht_gives_a_member_who_left_work_the_reasons_open_today_and_the_estimate(chat, resigned):
    chat.say("halo")
    claim = chat.tap("Klaim JHT")
    assert claim.text.splitlines() == [
        "*Klaim JHT* KPJ 55465628384",
        f"per {today():%d-%m-%Y}",
        "Dapat diklaim hari ini karena:",
        f"• {LEAVING}: perkiraan diterima Rp3.420.000",
        CLAIM_FOOTER,
    ]
    assert disclosures() == [("whatsapp", PHONE, "55465628384", "claim")]


def test_klaim_jht_estimates_each_payout_after_tax(chat):
    """Eleven years a member, JHT Rp68.400.000: leaving work pays it all, less 5% tax on what is
    above Rp50.000.000; the partial claims pay 10% and 30% of it, under the tax-free amount."""
    membership = make_resigned_member(
        kpj="55465628384", left_on=add_months(today(), -3), start_date=add_years(today(), -11), wage=100_000_000
    )
    bind_phone(membership, PHONE)
    chat.say("halo")
    lines = chat.tap("Klaim JHT").text.splitlines()
    assert lines[2:] == [
        "Dapat diklaim hari ini karena:",
        f"• {LEAVING}: perkiraan diterima Rp67.480.000 (setelah pajak Rp920.000)",
        "• klaim sebagian 10%: perkiraan diterima Rp6.840.000",
        "• klaim sebagian 30% (perumahan): perkiraan diterima Rp20.520.000",
        CLAIM_FOOTER,
    ]


def test_klaim_jht_shows_the_claim_in_progress_with_the_eligibility(chat, resigned):
    now = timezone.now()
    submitted = claim_submit(
        kpj=resigned.kpj,
        person_id=resigned.person_id,
        reason="resignation",
        documents=claim_documents("resignation"),
        **bank_account_open(resigned.person.name),
        as_of=today(),
        now=now,
        actor=member_actor("web"),
    )
    chat.say("halo")
    claim = chat.tap("Klaim JHT")
    assert claim.text.splitlines() == [
        "*Klaim JHT* KPJ 55465628384",
        f"per {today():%d-%m-%Y}",
        f"Klaim {submitted.number} (mengundurkan diri): *diajukan*",
        f"Diajukan {today():%d-%m-%Y}, perkiraan diterima Rp3.420.000.",
        "Dapat diklaim hari ini karena:",
        f"• {LEAVING}: perkiraan diterima Rp3.420.000",
        "Klaim baru untuk KPJ ini dapat diajukan setelah klaim yang berjalan selesai.",
    ]
    assert disclosures() == [("whatsapp", PHONE, "55465628384", "claim")]


def test_klaim_jht_with_several_kpj_picks_one_first(chat, iwan):
    """IWAN's KPJ at CV TENGAH ended in 2019 (JHT Rp171.000); his first membership began in 2005,
    so the partial claims are open too."""
    chat.say("halo")
    picker = chat.tap("Klaim JHT")
    assert picker.text == "Nomor ini terhubung ke 3 KPJ. Pilih KPJ untuk *Klaim JHT*."
    assert [option_id for option_id, _ in picker.options] == [
        "klaim:34086313831",
        "klaim:90090801580",
        "klaim:99993494331",
    ]
    claim = chat.tap("99993494331")
    assert claim.text.splitlines() == [
        "*Klaim JHT* KPJ 99993494331",
        f"per {today():%d-%m-%Y}",
        "Dapat diklaim hari ini karena:",
        f"• {LEAVING}: perkiraan diterima Rp171.000",
        "• klaim sebagian 10%: perkiraan diterima Rp17.100",
        "• klaim sebagian 30% (perumahan): perkiraan diterima Rp51.300",
        CLAIM_FOOTER,
    ]
    assert [d[3] for d in disclosures()] == ["membership_list"] * 3 + ["claim"]
    assert disclosures()[-1] == ("whatsapp", PHONE, "99993494331", "claim")


def test_typing_klaim_with_several_kpj_gets_the_klaim_list(chat, iwan):
    picker = chat.say("klaim")
    assert picker.text == "Nomor ini terhubung ke 3 KPJ. Pilih KPJ untuk *Klaim JHT*."
    assert chat.tap("34086313831", on=picker).text.startswith("*Klaim JHT* KPJ 34086313831")


def test_typed_klaim_gets_the_sms_answer_word_for_word(chat, resigned):
    reply = chat.say("KLAIM")
    sms = reply_to(channel="sms", sender=PHONE, text="KLAIM", now=timezone.now())
    assert reply.text == sms.text and sms.code == "claim_eligible"
    assert reply.options == [("menu:utama", "Menu Utama")]


def test_klaim_jht_on_a_number_not_yet_bound_says_how_to_register(chat, resigned):
    chat.wa_id = "6285712345678"
    chat.say("halo")
    refused = chat.tap("Klaim JHT")
    assert refused.text.startswith("Nomor ini belum terhubung ke KPJ tersebut. Pilih *Daftarkan Nomor*")
    assert refused.options == [("menu:daftar", "Daftarkan Nomor"), ("menu:utama", "Menu Utama")]
    assert "3.420.000" not in refused.text
    assert chat.say("KLAIM 55465628384").text.startswith("Nomor ini belum terdaftar untuk KPJ tersebut.")
    assert disclosures() == []


def test_klaim_jht_fits_one_interactive_message(chat, iwan, settings):
    """The longest answer (every reason open, in English too) still fits Meta's body limit uncut."""
    for language in ("id", "en"):
        settings.LANGUAGE_CODE = language
        (claim,) = chat.deliver(cloud_api.list_reply("klaim:99993494331", "99993494331", sender=WA_ID))
        assert len(claim.text) < MAX_BODY and not claim.text.endswith("…")


# Typed commands: the shared grammar


def test_typed_saldo_gets_the_sms_answer_word_for_word(chat, member):
    reply = chat.say(f"SALDO {KPJ}")
    sms = reply_to(channel="sms", sender=PHONE, text=f"SALDO {KPJ}", now=timezone.now())
    assert reply.text == sms.text
    assert reply.options == [("menu:utama", "Menu Utama")]
    assert ("whatsapp", PHONE, KPJ, "balance") in disclosures()


def test_typed_status_with_the_sms_spelling_variations(chat, member):
    reply = chat.say(f"cek status kpj {KPJ[:3]} {KPJ[3:]}")
    assert reply.text.startswith(f"Status KPJ {KPJ} per ")


def test_a_typed_command_with_a_bad_kpj_gets_the_sms_format_error(chat, member):
    reply = chat.say("SALDO 123")
    assert reply.text == "Nomor KPJ belum benar: 11 angka sesuai kartu. Ketik: SALDO KPJ, mis. SALDO 12345678901"


# Identity: answers only to the bound number


def test_another_number_gets_nothing_about_the_kpj(chat, member):
    chat.wa_id = "6285712345678"
    chat.say("halo")
    refused = chat.tap("Cek Saldo JHT")
    assert refused.text.startswith("Nomor ini belum terhubung ke KPJ tersebut.")
    assert refused.options == [("menu:daftar", "Daftarkan Nomor"), ("menu:utama", "Menu Utama")]
    assert "855" not in refused.text
    typed = chat.say(f"SALDO {KPJ}")
    assert typed.text.startswith("Nomor ini belum terdaftar untuk KPJ tersebut.")
    assert disclosures() == []


def test_a_forged_tap_for_someone_else_s_kpj_is_refused(chat, member):
    """Button ids come back from the member's phone: a crafted one naming another KPJ gets the
    same refusal as an unknown KPJ."""
    other = make_member(kpj="12345678901", name="ORANG LAIN", phone="+6285700000000")
    post_contribution(other, format_period(last_due_month()), 9_000_000)
    for service in ("saldo", "status", "kartu", "riwayat", "klaim"):
        (reply,) = chat.deliver(cloud_api.button_reply(f"{service}:12345678901", "x", sender=WA_ID))
        assert reply.text.startswith("Nomor ini belum terhubung ke KPJ tersebut.")
        (reply,) = chat.deliver(cloud_api.button_reply(f"{service}:99999999999", "x", sender=WA_ID))
        assert reply.text.startswith("Nomor ini belum terhubung ke KPJ tersebut.")
    assert disclosures() == []


def test_a_foreign_number_is_never_bound_so_never_answered(chat, member):
    chat.wa_id = "16505551234"
    chat.say("halo")
    assert chat.tap("Cek Saldo JHT").text.startswith("Nomor ini belum terhubung ke KPJ tersebut.")
    assert disclosures() == []


def test_an_id_we_never_sent_gets_the_menu(chat, member):
    (reply,) = chat.deliver(cloud_api.list_reply("something:else", "??", sender=WA_ID))
    assert reply.options == MENU_ROWS


# Abuse limit and language


def test_too_many_messages_get_one_short_refusal(chat, member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "RATE_LIMIT_MESSAGES": 3}
    for _ in range(3):
        chat.say("halo")
    refused = chat.say("halo")
    assert refused.kind == "text"
    assert refused.text == "Terlalu banyak pesan dari nomor ini. Coba lagi 60 menit lagi."
    (refused_tap,) = chat.deliver(cloud_api.button_reply(f"saldo:{KPJ}", "Cek Saldo JHT", sender=WA_ID))
    assert refused_tap.kind == "text"
    assert disclosures() == []


def test_english_when_the_service_runs_in_english(chat, member, settings):
    settings.LANGUAGE_CODE = "en"
    menu = chat.say("hello")
    assert menu.text == "Hello! This is the BPJS Ketenagakerjaan information service. Please choose a service."
    assert [title for _, title in menu.options][0] == "JHT Balance"
    assert chat.tap("JHT Balance").text.startswith(f"*JHT balance* KPJ {KPJ}")
    claim = chat.tap("JHT claims", on=menu)
    assert claim.text.splitlines()[:2] == [f"*JHT claim* KPJ {KPJ}", f"as of {today():%d-%m-%Y}"]
    assert claim.text.splitlines()[2].startswith("Cannot be claimed yet. Earliest ")


def test_the_language_is_the_service_s_not_that_of_meta_s_request(chat, member):
    """Meta's servers may send Accept-Language; the member still gets the service's language."""
    body = cloud_api.body_of(cloud_api.envelope(messages=[cloud_api.text_message("halo", sender=WA_ID)]))
    with chat.capture(execute=True):
        chat.post(body, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert chat.graph.take()[0].text.startswith("Halo!")
