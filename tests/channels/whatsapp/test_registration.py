"""Binding a WhatsApp number from the chat: NIK, name, birth date, KPJ and mother's name, checked
against the registry (counted towards the same lockout as SMS DAFTAR), then a PIN sent by SMS
(through the Kannel sendsms stand-in) to the phone on record, typed back; only then is the number
bound. A number that is not the one on record never gets the PIN itself."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saldo.channels.whatsapp.models import Conversation
from saldo.identity.models import PhoneBinding, RegistrationAttempt
from tests.channels.whatsapp.conftest import PHONE, WA_ID
from tests.factories import make_employer, make_member, post_contribution

KPJ = "68516716147"
BORN = date(1987, 10, 7)


@pytest.fixture
def member():
    membership = make_member(
        kpj=KPJ, birth_date=BORN, name="NENG KURNIASIH", employer=make_employer(npp="10000001", name="PT PRIMA SUKSES"),
        phone=PHONE,
    )
    post_contribution(membership, "2026-01", 5_000_000)
    return membership


def bound() -> list[tuple[str, str, str]]:
    return list(PhoneBinding.objects.values_list("phone", "membership__kpj", "channel"))


def register_up_to_the_pin(chat, member, *, born="07-10-1987"):
    chat.say("halo")
    assert chat.tap("Daftarkan Nomor").text.startswith("*Daftarkan Nomor* (langkah 1 dari 5)")
    assert chat.say(member.person.nik).text == "Langkah 2 dari 5: ketik nama lengkap Anda sesuai KTP."
    assert chat.say("Neng Kurniasih").text == "Langkah 3 dari 5: ketik tanggal lahir Anda, mis. 17-08-1990."
    assert chat.say(born).text == "Langkah 4 dari 5: ketik nomor KPJ Anda: 11 angka sesuai kartu."
    assert chat.say(KPJ).text == "Langkah 5 dari 5: ketik nama ibu kandung Anda."
    return chat.say("Ratna")


def test_the_whole_registration_binds_the_number_and_then_answers(chat, member):
    pin_sent = register_up_to_the_pin(chat, member)
    assert pin_sent.text.startswith(
        "PIN 6 angka sudah kami kirim lewat SMS ke nomor yang tercatat pada data kepesertaan (+62812*****890).")
    assert pin_sent.options == [("reg:ulang", "Kirim Ulang PIN"), ("reg:batal", "Batal")]
    (sms,) = chat.sms.requests
    assert sms["to"] == PHONE and "untuk mendaftarkan nomor +62812*****890 ke KPJ" in sms["text"]
    assert bound() == []  # not before the PIN

    done = chat.say(chat.pin())
    assert done.text == f"Berhasil: nomor ini sekarang terhubung ke KPJ {KPJ}. Silakan pilih layanan."
    assert done.options[0] == ("menu:saldo", "Cek Saldo JHT")
    assert bound() == [(PHONE, KPJ, "whatsapp")]
    assert not Conversation.objects.exists()  # the NIK typed into it is gone
    assert chat.tap("Cek Saldo JHT", on=done).text.startswith(f"*Saldo JHT* KPJ {KPJ}")


def test_typing_daftar_starts_it_too(chat, member):
    assert chat.say("daftar").text.startswith("*Daftarkan Nomor* (langkah 1 dari 5)")


def test_the_sms_format_typed_in_full_asks_only_the_mothers_name_before_the_pin(chat, member):
    reply = chat.say(f"DAFTAR SALDO#{member.person.nik}#NENG KURNIASIH#07-10-1987#{KPJ}#neng@example.com")
    assert reply.text == "Langkah 5 dari 5: ketik nama ibu kandung Anda."
    assert chat.say("RATNA").text.startswith("PIN 6 angka sudah kami kirim")
    assert bound() == []
    chat.say(chat.pin())
    assert bound() == [(PHONE, KPJ, "whatsapp")]


def test_each_step_asks_again_until_the_answer_can_be_read(chat, member):
    chat.say("daftar")
    assert chat.say("12345").text == "NIK belum benar: 16 angka sesuai KTP. Coba lagi, atau ketik BATAL."
    chat.say(member.person.nik)
    assert chat.say("   ").text.startswith("Nama belum benar")
    chat.say("neng kurniasih")
    assert chat.say("31-02-1987").text.startswith("Tanggal lahir belum benar")
    chat.say("7 Oktober 1987")
    assert chat.say("1234").text.startswith("Nomor KPJ belum benar")
    chat.say(f"{KPJ[:4]} {KPJ[4:]}")
    assert chat.say("ratna").text.startswith("PIN 6 angka sudah kami kirim")


def test_a_wrong_pin_says_how_many_tries_are_left_and_the_right_one_still_works(chat, member):
    register_up_to_the_pin(chat, member)
    right = chat.pin()
    wrong = "000000" if right != "000000" else "111111"
    reply = chat.say(wrong)
    assert reply.text == "PIN salah. Sisa percobaan: 2."
    assert reply.options == [("reg:ulang", "Kirim Ulang PIN"), ("reg:batal", "Batal")]
    assert chat.say("bukan pin").text == "Ketik PIN 6 angka dari SMS, atau ketik BATAL."
    chat.say(right)
    assert bound() == [(PHONE, KPJ, "whatsapp")]


def test_three_wrong_pins_spend_it_and_a_new_one_can_be_asked_for(chat, member):
    register_up_to_the_pin(chat, member)
    wrong = "000000" if chat.pin() != "000000" else "111111"
    chat.say(wrong)
    chat.say(wrong)
    spent = chat.say(wrong)
    assert spent.text == "PIN salah terlalu banyak. Silakan minta PIN baru."
    resent = chat.tap("Kirim Ulang PIN")
    assert resent.text.startswith("PIN 6 angka sudah kami kirim")
    assert len(chat.sms.requests) == 2
    chat.say(chat.pin())
    assert bound() == [(PHONE, KPJ, "whatsapp")]


def test_data_that_does_not_match_is_refused_without_a_pin_or_saying_which_field(chat, member):
    refused = register_up_to_the_pin(chat, member, born="08-10-1987")  # one day off
    assert refused.text.startswith("Data tidak cocok dengan data kepesertaan.")
    assert bound() == [] and chat.sms.requests == []
    assert list(RegistrationAttempt.objects.values_list("phone", "channel", "succeeded")) == [
        (PHONE, "whatsapp", False)
    ]


def test_a_number_locked_by_failed_registrations_gets_no_pin(chat, member, settings):
    settings.SALDO_CHANNELS = {**settings.SALDO_CHANNELS, "REGISTRATION_MAX_FAILURES": 2}
    for _ in range(2):
        RegistrationAttempt.objects.create(phone=PHONE, channel="sms", at=timezone.now(), succeeded=False)
    reply = chat.say("daftar")
    assert reply.text.startswith("Pendaftaran dari nomor ini dikunci karena data salah terlalu sering.")
    assert chat.sms.requests == []


def test_batal_cancels_and_forgets_what_was_typed(chat, member):
    chat.say("daftar")
    chat.say(member.person.nik)
    cancelled = chat.say("batal")
    assert cancelled.text == "Pendaftaran dibatalkan. Silakan pilih layanan."
    assert not Conversation.objects.exists()
    assert chat.say(KPJ).options[0] == ("menu:saldo", "Cek Saldo JHT")  # just text again: the menu


def test_the_cancel_button_cancels_too(chat, member):
    chat.say("daftar")
    assert chat.tap("Batal").text == "Pendaftaran dibatalkan. Silakan pilih layanan."


def test_a_command_typed_mid_registration_leaves_it(chat, member):
    chat.say("daftar")
    assert chat.say("BANTUAN").text.startswith("*Bantuan*")
    assert not Conversation.objects.exists()


def test_a_registration_left_idle_starts_over(chat, member, settings):
    chat.say("daftar")
    Conversation.objects.update(updated_at=timezone.now() - timedelta(minutes=16))
    assert chat.say(member.person.nik).options[0] == ("menu:saldo", "Cek Saldo JHT")


def test_a_foreign_number_cannot_register(chat, member):
    chat.wa_id = "16505551234"
    reply = chat.say("daftar")
    assert reply.text == "Pendaftaran hanya untuk nomor ponsel Indonesia (08...)."
    assert chat.sms.requests == []


def test_the_pin_is_for_this_number_only(chat, member):
    """A PIN sent for one number cannot bind another: it is issued for the number that asked."""
    register_up_to_the_pin(chat, member)
    pin = chat.pin()
    chat.wa_id = "6285712345678"
    register_up_to_the_pin(chat, member)
    assert chat.say(pin).text.startswith("PIN salah")
    assert bound() == []
    chat.wa_id = WA_ID


def test_another_number_gets_no_pin_itself_the_phone_on_record_does(chat, member):
    """Someone who knows the member's identity data, chatting from their own number: the PIN goes
    to the member's phone on record, which is told which number asks."""
    chat.wa_id = "6285712345678"
    reply = register_up_to_the_pin(chat, member)
    assert "(+62812*****890)" in reply.text
    [sms] = chat.sms.requests
    assert sms["to"] == PHONE and "untuk mendaftarkan nomor +62857*****678 ke KPJ 68516716147" in sms["text"]
    assert bound() == []
    chat.wa_id = WA_ID


def test_the_shared_sms_daftar_still_binds_at_once_on_sms_from_the_phone_on_record(member):
    """SMS DAFTAR from the phone on record comes from the SIM itself: no PIN."""
    from saldo.channels.commands.handlers import reply_to

    text = f"DAFTAR SALDO#{member.person.nik}#NENG KURNIASIH#07-10-1987#{KPJ}#"
    assert reply_to(channel="sms", sender=PHONE, text=text, now=timezone.now()).code == "registered"
