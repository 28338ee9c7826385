"""What the short code answers: registration, balance, status, help, and the refusals."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from saldo.audit.models import Disclosure
from saldo.channels.commands.handlers import reply_to
from saldo.channels.commands.replies import Reply
from saldo.channels.models import InboundMessage, OutboundMessage
from saldo.claims.services import claim_submit, member_actor
from saldo.identity.models import PhoneBinding
from tests.factories import (
    bank_account_open,
    bind_phone,
    claim_documents,
    make_employer,
    make_member,
    make_resigned_member,
    post_contribution,
)

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 WIB
PHONE = "+6281234567890"
OTHER_PHONE = "+6285712345678"
KPJ = "68516716147"
BORN = date(1987, 10, 7)
DAFTAR_FORMAT = "DAFTAR SALDO#NIK#NAMA#DD-MM-YYYY#KPJ#EMAIL"

REGISTERED = Reply(
    f"Pendaftaran berhasil: nomor ini terhubung ke KPJ {KPJ}. Cek saldo: SALDO {KPJ}. Status: STATUS {KPJ}",
    "registered",
)
REFUSED = Reply(
    "Data tidak cocok dengan data kepesertaan. Periksa NIK, nama, tanggal lahir dan nomor KPJ, lalu kirim lagi. "
    "Bantuan: kantor cabang BPJS Ketenagakerjaan.",
    "registration_refused",
)
NOT_REGISTERED = Reply(
    f"Nomor ini belum terdaftar untuk KPJ tersebut. Daftar dulu: {DAFTAR_FORMAT}", "not_registered"
)
BALANCE = Reply(
    f"Saldo KPJ {KPJ} per 26-11-2026: JHT Rp570.000, JP Rp300.000. Iuran terakhir diterima: 10-2026.", "balance"
)


@pytest.fixture
def member():
    membership = make_member(
        kpj=KPJ, birth_date=BORN, sex="F", name="NENG KURNIASIH", employer=make_employer(name="PT PRIMA SUKSES")
    )
    for period in ("2026-09", "2026-10"):
        post_contribution(membership, period, 5_000_000)
    return membership


def ask(text, *, sender=PHONE, now=NOW):
    return reply_to(channel="sms", sender=sender, text=text, now=now)


def daftar(member, *, nik=None, name="NENG KURNIASIH", born="07-10-1987", kpj=None):
    return f"DAFTAR SALDO#{nik or member.person.nik}#{name}#{born}#{kpj or member.kpj}#neng@example.com"


# Registration


def test_registration_binds_the_sender_and_says_how_to_ask(member):
    assert ask(daftar(member), sender="0812-3456-7890") == REGISTERED
    assert PhoneBinding.objects.get().phone == PHONE


def test_someone_elses_number_gets_nothing_without_the_pin_sent_to_the_phone_on_record(member):
    """The takeover by SMS: the member's identity data from another number. The PIN goes to the
    member's phone, which is told which number asks; only that PIN, typed from the asking number,
    binds it (and the owner is told again)."""
    reply = ask(daftar(member), sender=OTHER_PHONE)
    assert reply == Reply(
        "PIN dikirim ke nomor tercatat +62812*****890. Dalam 5 menit balas dari nomor ini: PIN <6 angka> "
        f"untuk KPJ {KPJ}.", "binding_pin_sent")
    assert PhoneBinding.objects.count() == 0
    assert ask(f"SALDO {KPJ}", sender=OTHER_PHONE) == NOT_REGISTERED
    sms = OutboundMessage.objects.get(to=PHONE).text
    assert "untuk mendaftarkan nomor +62857*****678 ke KPJ 68516716147" in sms
    pin = re.search(r"\b(\d{6})\b", sms).group(1)
    assert ask(f"PIN {pin}", sender="+6289900001111").code == "pin_refused"  # not for that number
    assert ask(f"PIN {pin}", sender=OTHER_PHONE) == REGISTERED
    assert list(PhoneBinding.objects.values_list("phone", flat=True)) == [OTHER_PHONE]
    assert OutboundMessage.objects.filter(to=PHONE).last().text.startswith(
        "Saldo: nomor +62857*****678 didaftarkan untuk KPJ 68516716147")


def test_bukan_with_a_notices_code_freezes_and_ends_other_numbers(member):
    ask(daftar(member), sender=OTHER_PHONE)
    pin = re.search(r"\b(\d{6})\b", OutboundMessage.objects.get(to=PHONE).text).group(1)
    ask(f"PIN {pin}", sender=OTHER_PHONE)
    code = re.search(r"BUKAN ([0-9A-Z]{8})", OutboundMessage.objects.filter(to=PHONE).last().text).group(1)
    assert ask(f"bukan {code}").code == "report_received"
    assert PhoneBinding.objects.count() == 0
    assert ask(f"SALDO {KPJ}", sender=OTHER_PHONE) == NOT_REGISTERED
    assert ask("BUKAN ZZZZ2222").code == "report_code_unknown"


def test_the_second_article_format_registers_too(member):
    assert ask(f"Daftar SALDO#{member.person.nik}#07101987#{KPJ}#") == REGISTERED


def test_registering_again_from_the_same_number_succeeds_once(member):
    assert ask(daftar(member)) == REGISTERED
    assert ask(daftar(member), now=NOW + timedelta(minutes=5)) == REGISTERED
    assert PhoneBinding.objects.count() == 1


@pytest.mark.parametrize(
    "wrong",
    [
        {"nik": "3578014710870001"},
        {"born": "08-10-1987"},
        {"kpj": "99999999999"},
        {"name": "SITI AMINAH"},
        {"kpj": "other"},
    ],
    ids=["nik", "birth date", "kpj that does not exist", "name", "kpj of another person"],
)
def test_every_mismatch_gets_the_same_generic_reply(member, wrong):
    if wrong.get("kpj") == "other":
        wrong = {"kpj": make_member(kpj="11111111111", birth_date=BORN, sex="F", name="NENG KURNIASIH").kpj}
    assert ask(daftar(member, **wrong)) == REFUSED
    assert PhoneBinding.objects.count() == 0


def test_a_format_error_names_the_field_and_the_format(member):
    assert ask(f"DAFTAR SALDO#{member.person.nik}#07-13-1987#{KPJ}") == Reply(
        f"Tanggal lahir belum benar: tulis DD-MM-YYYY, mis. 17-08-1990. Ketik: {DAFTAR_FORMAT}", "format_error"
    )
    assert ask(f"DAFTAR SALDO#{member.person.nik}#07-10-1987#2345678901") == Reply(
        f"Nomor KPJ belum benar: 11 angka sesuai kartu. Ketik: {DAFTAR_FORMAT}", "format_error"
    )


def test_five_failures_lock_registration_for_a_day(member):
    for minute in range(5):
        assert ask(daftar(member, born="01-01-2000"), now=NOW + timedelta(minutes=minute)) == REFUSED
    locked = Reply(
        "Pendaftaran dari nomor ini dikunci karena data salah terlalu sering. Coba lagi setelah 27-11-2026 10:00 WIB "
        "atau datang ke kantor cabang.",
        "registration_locked",
    )
    assert ask(daftar(member), now=NOW + timedelta(hours=23)) == locked
    assert ask(daftar(member), now=NOW + timedelta(hours=24)) == REGISTERED


def test_registration_needs_an_indonesian_mobile_number(member):
    reply = ask(daftar(member), sender="+4915112345678")
    assert reply == Reply("Pendaftaran hanya untuk nomor ponsel Indonesia (08...).", "not_mobile")
    assert PhoneBinding.objects.count() == 0


# Balance


def test_saldo_answers_the_bound_number_and_is_audited(member):
    bind_phone(member, PHONE)
    assert ask(f"SALDO {KPJ}", sender="6281234567890") == BALANCE
    assert list(Disclosure.objects.values("channel", "recipient", "kpj", "what", "at")) == [
        {"channel": "sms", "recipient": PHONE, "kpj": KPJ, "what": "balance", "at": NOW}
    ]


def test_saldo_shows_no_jp_for_a_member_without_jp_and_says_when_no_iuran_came(member):
    bare = make_member(kpj="22222222222")
    bind_phone(bare, PHONE)
    assert ask("SALDO 22222222222") == Reply(
        "Saldo KPJ 22222222222 per 26-11-2026: JHT Rp0. Belum ada iuran diterima.", "balance"
    )


def test_saldo_counts_only_what_is_valued_by_today(member):
    bind_phone(member, PHONE)
    reply = ask(f"SALDO {KPJ}", now=datetime(2026, 10, 15, 3, 0, tzinfo=UTC))
    # October's iuran counts from its value date, 31-10.
    assert reply.text.startswith(f"Saldo KPJ {KPJ} per 15-10-2026: JHT Rp285.000, JP Rp150.000.")


def test_saldo_from_another_number_is_told_to_register_whether_or_not_the_kpj_exists(member):
    bind_phone(member, PHONE)
    assert ask(f"SALDO {KPJ}", sender=OTHER_PHONE) == NOT_REGISTERED
    assert ask("SALDO 99999999999", sender=OTHER_PHONE) == NOT_REGISTERED
    assert ask("SALDO 99999999999") == NOT_REGISTERED
    assert Disclosure.objects.count() == 0


def test_saldo_alone_uses_the_only_binding(member):
    bind_phone(member, PHONE)
    assert ask("saldo") == BALANCE


def test_saldo_alone_without_binding_is_told_to_register(member):
    assert ask("SALDO") == NOT_REGISTERED
    assert Disclosure.objects.count() == 0


def test_saldo_alone_with_several_bindings_lists_them_to_their_owner(member):
    bind_phone(member, PHONE)
    bind_phone(make_member(kpj="00000000042", person=member.person), PHONE)
    assert ask("SALDO") == Reply(
        f"Nomor ini terdaftar untuk 2 KPJ: 00000000042, {KPJ}. Ketik SALDO KPJ, mis. SALDO 00000000042", "choose_kpj"
    )
    assert Disclosure.objects.count() == 0


def test_many_bindings_are_listed_as_far_as_one_sms_goes(member):
    for n in range(1, 13):
        bind_phone(make_member(kpj=f"{n:011d}", person=member.person), PHONE)
    reply = ask("STATUS")
    assert reply.code == "choose_kpj"
    assert reply.text.startswith("Nomor ini terdaftar untuk 12 KPJ: 00000000001, 00000000002")
    assert ", dll.. Ketik STATUS KPJ, mis. STATUS 00000000001" in reply.text
    assert len(reply.text) <= 160


def test_saldo_with_a_bad_kpj_says_how_to_write_it(member):
    assert ask("SALDO 2345678901") == Reply(
        "Nomor KPJ belum benar: 11 angka sesuai kartu. Ketik: SALDO KPJ, mis. SALDO 12345678901", "format_error"
    )


# Status


def test_status_shows_active_and_the_employer(member):
    bind_phone(member, PHONE)
    assert ask(f"STATUS {KPJ}") == Reply(
        f"Status KPJ {KPJ} per 26-11-2026: aktif. Pemberi kerja: PT PRIMA SUKSES.", "status"
    )
    assert list(Disclosure.objects.values_list("what", flat=True)) == ["status"]


def test_status_shows_non_active_without_recent_iuran(member):
    bind_phone(member, PHONE)
    reply = ask("STATUS", now=datetime(2027, 3, 1, 3, 0, tzinfo=UTC))
    assert reply.text == f"Status KPJ {KPJ} per 01-03-2027: non-aktif. Pemberi kerja: PT PRIMA SUKSES."


def test_a_long_employer_name_is_shortened_to_fit(member):
    employer = make_employer(npp="87654321", name="PT " + "SANGAT PANJANG SEKALI " * 8 + "ÇİĞ")
    long_one = make_member(kpj="33333333333", employer=employer)
    bind_phone(long_one, PHONE)
    reply = ask("STATUS 33333333333")
    assert reply.text.startswith("Status KPJ 33333333333 per 26-11-2026: non-aktif. Pemberi kerja: PT SANGAT PANJANG")
    assert reply.text.endswith("...")
    assert 155 <= len(reply.text) <= 160


def test_status_from_another_number_is_refused(member):
    bind_phone(member, PHONE)
    assert ask(f"STATUS {KPJ}", sender=OTHER_PHONE) == NOT_REGISTERED
    assert Disclosure.objects.count() == 0


# Help and everything else


def test_help():
    assert ask("BANTUAN") == Reply(
        f"Layanan saldo BPJS Ketenagakerjaan. Daftar: {DAFTAR_FORMAT} (email boleh kosong). "
        "Lalu: SALDO KPJ, STATUS KPJ atau KLAIM KPJ",
        "help",
    )


def test_unknown_text_gets_the_usage():
    assert ask("apa kabar") == Reply(
        f"Perintah tidak dikenal. Daftar: {DAFTAR_FORMAT}. Cek saldo: SALDO KPJ. Status: STATUS KPJ. Bantuan: BANTUAN",
        "usage",
    )


def test_replies_follow_the_active_language(member):
    bind_phone(member, PHONE)
    with translation.override("en"):
        reply = ask("SALDO")
    assert reply.text == (
        f"Balance of KPJ {KPJ} as of 26-11-2026: JHT Rp570.000, JP Rp300.000. Last contribution received: 10-2026."
    )


# Rate limit


def stored(count, *, sender=PHONE, at=NOW, channel="sms"):
    InboundMessage.objects.bulk_create(
        InboundMessage(channel=channel, sender=sender, text="SALDO", external_id=f"x{sender}{at}{i}", received_at=at)
        for i in range(count)
    )


def test_more_than_twenty_messages_an_hour_are_refused(member):
    bind_phone(member, PHONE)
    stored(20, at=NOW - timedelta(minutes=30))
    assert ask("SALDO") == BALANCE  # the 20th (its own row is not stored here)
    stored(1, at=NOW)
    limited = Reply("Terlalu banyak pesan dari nomor ini. Coba lagi 60 menit lagi.", "rate_limited")
    assert ask("SALDO") == limited
    assert ask("BANTUAN").code == "rate_limited"
    assert ask("SALDO", now=NOW + timedelta(minutes=31)) == Reply(BALANCE.text, "balance")


def test_the_rate_limit_is_per_number_and_channel(member):
    stored(21)
    assert ask("BANTUAN", sender=OTHER_PHONE).code == "help"
    assert reply_to(channel="whatsapp", sender=PHONE, text="BANTUAN", now=NOW).code == "help"


def test_the_rate_limit_comes_from_settings(member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "RATE_LIMIT_MESSAGES": 2}
    stored(3)
    assert ask("BANTUAN").code == "rate_limited"


# Privacy


def test_no_reply_carries_the_nik_or_the_mothers_name(member):
    nik = member.person.nik
    texts = [
        daftar(member, born="01-01-2000"),
        f"DAFTAR SALDO#{nik}#07-13-1987#{KPJ}",
        f"DAFTAR SALDO#{nik}",
        daftar(member),
        f"SALDO {KPJ}",
        "SALDO",
        f"STATUS {KPJ}",
        f"SALDO {nik}",
        f"STATUS {nik}",
        nik,
        "BANTUAN",
    ]
    replies = [ask(t, now=NOW + timedelta(seconds=i)).text for i, t in enumerate(texts)]
    for text in replies:
        assert nik not in text
        assert member.person.mother_maiden_name not in text


# Claims (KLAIM)


def test_klaim_says_from_when_an_active_member_can_claim(member):
    bind_phone(member, PHONE)
    reply = ask(f"KLAIM {KPJ}")
    assert reply.code == "claim_not_yet"
    assert reply.text.startswith(f"JHT KPJ {KPJ} belum dapat diklaim per 26-11-2026. Paling cepat ")
    assert len(reply.text) <= 160
    assert list(Disclosure.objects.values_list("what", flat=True)) == ["claim"]


def test_klaim_lists_the_reasons_open_today_to_a_member_who_resigned():
    resigned = make_resigned_member(kpj="55465628384", left_on=date(2025, 1, 15))
    bind_phone(resigned, PHONE)
    reply = ask("klaim")
    assert reply.code == "claim_eligible"
    assert reply.text.startswith("JHT KPJ 55465628384 dapat diklaim per 26-11-2026 karena: ")
    assert "mengundurkan diri" in reply.text and len(reply.text) <= 160


def test_klaim_shows_the_claim_in_progress():
    resigned = make_resigned_member(kpj="55465628384", left_on=date(2025, 1, 15))
    bind_phone(resigned, PHONE)
    claim = submit_claim(resigned, reason="resignation")
    reply = ask("KLAIM 55465628384")
    assert reply == Reply(f"Klaim {claim.number} untuk KPJ 55465628384: diajukan (per 26-11-2026).", "claim_open")


def test_klaim_on_a_card_with_no_jht_money_says_there_is_nothing_to_claim():
    empty = make_member(kpj="71234567891", start_date=date(2026, 10, 1))  # no iuran yet
    bind_phone(empty, PHONE)
    assert ask("KLAIM 71234567891") == Reply(
        "KPJ 71234567891 tidak punya saldo JHT yang dapat diklaim per 26-11-2026.", "claim_nothing"
    )


def test_klaim_from_another_number_is_refused_and_discloses_nothing(member):
    bind_phone(member, PHONE)
    assert ask(f"KLAIM {KPJ}", sender=OTHER_PHONE) == NOT_REGISTERED
    assert Disclosure.objects.count() == 0


def submit_claim(membership, *, reason):
    return claim_submit(
        kpj=membership.kpj,
        person_id=membership.person_id,
        reason=reason,
        documents=claim_documents(reason),
        **bank_account_open(membership.person.name),
        as_of=NOW.date(),
        now=NOW,
        actor=member_actor("sms"),
        verification="video_call",
    )
