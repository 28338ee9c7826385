"""Layanan → Cek Saldo JHT: a PIN by SMS, three tries, then every KPJ with balances, status,
employer, yearly statement, monthly iuran with gaps, a PDF; and the digital card. Every view of
a balance is in the audit trail."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from saldo.audit.models import Disclosure
from saldo.cards.verification import card_verify
from saldo.channels.models import OutboundMessage
from saldo.core.money import format_rupiah
from saldo.statements.selectors import statement_get
from tests.factories import make_member, post_contribution
from tests.portal.conftest import GAP_MONTHS_AGO, PHONE, WAGE, last_pin, months_ago

PIN_PAGE = reverse("portal:balance-pin")
SEND_PIN = reverse("portal:balance-pin-request")
BALANCE = reverse("portal:balance")
CARDS = reverse("portal:cards")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def pin_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("pin", []))


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


@pytest.fixture
def pin_sent(logged_in):
    logged_in.post(SEND_PIN)
    return logged_in


@pytest.fixture
def unlocked(pin_sent):
    pin_sent.post(PIN_PAGE, {"pin": last_pin()})
    return pin_sent


def test_the_balance_asks_for_a_pin_first(logged_in):
    assert logged_in.get(BALANCE)["Location"] == f"{PIN_PAGE}?ke=saldo"
    assert logged_in.get(CARDS)["Location"] == f"{PIN_PAGE}?ke=kartu"
    page = logged_in.get(PIN_PAGE)
    assert page.context["pin_sent"] is False
    assert "****7745" in page.content.decode()


def test_asking_sends_a_six_digit_pin_by_sms_valid_five_minutes(logged_in):
    response = logged_in.post(SEND_PIN, follow=True)
    assert messages_of(response) == ["PIN dikirim lewat SMS ke ****7745. Berlaku 5 menit."]
    sms = OutboundMessage.objects.filter(to=PHONE).latest("id").text
    assert sms.startswith("PIN Saldo untuk cek saldo: ") and len(last_pin()) == 6


def test_the_right_pin_opens_the_balance(pin_sent):
    response = pin_sent.post(PIN_PAGE, {"pin": last_pin()})
    assert response["Location"] == BALANCE
    assert pin_sent.get(BALANCE).status_code == 200


def test_three_wrong_pins_spend_it_and_a_new_one_must_be_asked_for(pin_sent):
    right = last_pin()
    assert pin_errors(pin_sent.post(PIN_PAGE, {"pin": wrong(right)})) == ["PIN salah. Sisa percobaan: 2."]
    assert pin_errors(pin_sent.post(PIN_PAGE, {"pin": wrong(right)})) == ["PIN salah. Sisa percobaan: 1."]
    third = pin_sent.post(PIN_PAGE, {"pin": wrong(right)}, follow=True)
    assert messages_of(third) == ["PIN salah terlalu banyak. Silakan minta PIN baru."]
    assert third.context["pin_sent"] is False  # the page now offers only a new PIN
    # The right PIN no longer works either.
    late = pin_sent.post(PIN_PAGE, {"pin": right}, follow=True)
    assert messages_of(late) == ["PIN salah terlalu banyak. Silakan minta PIN baru."]
    assert pin_sent.get(BALANCE).status_code == 302
    pin_sent.post(SEND_PIN)
    assert pin_sent.post(PIN_PAGE, {"pin": last_pin()})["Location"] == BALANCE


def test_an_expired_pin_asks_for_a_new_one(pin_sent, settings):
    settings.SALDO_PINS = {**settings.SALDO_PINS, "VALID_MINUTES": 0}
    pin_sent.post(SEND_PIN)
    response = pin_sent.post(PIN_PAGE, {"pin": last_pin()}, follow=True)
    assert messages_of(response)[-1] == "PIN tidak berlaku lagi. Silakan minta PIN baru."


def test_pins_are_limited_per_hour(logged_in, settings):
    settings.SALDO_PINS = {**settings.SALDO_PINS, "MAX_PER_HOUR": 2}
    logged_in.post(SEND_PIN)
    logged_in.post(SEND_PIN)
    response = logged_in.post(SEND_PIN, follow=True)
    assert messages_of(response)[-1].startswith(
        "Terlalu banyak permintaan PIN. Silakan coba lagi nanti. Coba lagi setelah pukul "
    )


def test_a_pin_that_is_not_six_digits_is_a_field_error(pin_sent):
    assert pin_errors(pin_sent.post(PIN_PAGE, {"pin": "12 34"})) == [
        "Pastikan nilai ini mengandung paling sedikit 6 karakter (sekarang 5 karakter)."
    ]
    assert pin_errors(pin_sent.post(PIN_PAGE, {"pin": ""})) == ["Bidang ini tidak boleh kosong."]


def test_the_balance_shows_what_the_statement_says(unlocked, member):
    response = unlocked.get(BALANCE)
    overview = response.context["overview"]
    expected = statement_get(kpj=member.kpj, as_of=timezone.localdate())
    assert [(s.kpj, s.status, s.employer_name) for s in overview.statements] == [
        (member.kpj, "aktif", "PT PRIMA SUKSES")
    ]
    assert overview.statements[0].as_json() == expected.as_json()
    page = response.content.decode()
    assert format_rupiah(expected.programmes["JHT"].balance) in page
    assert format_rupiah(expected.programmes["JP"].balance) in page
    assert format_rupiah(WAGE) in page


def test_the_month_without_iuran_is_flagged(unlocked):
    page = unlocked.get(BALANCE).content.decode()
    assert page.count('<tr class="gap">') == 1
    assert "1 bulan tanpa iuran" in page
    gap = [m for m in unlocked.get(BALANCE).context["overview"].statements[0].months if m.gap]
    assert [m.period.isoformat()[:7] for m in gap] == [months_ago(GAP_MONTHS_AGO)]


def test_every_kpj_of_the_person_is_shown_with_the_totals(unlocked, member):
    older = make_member(kpj="90090801580", person=member.person, start_date=member.start_date.replace(year=2015),
                        end_date=member.start_date - timedelta(days=1))
    post_contribution(older, "2016-03", 3_000_000)
    overview = unlocked.get(BALANCE).context["overview"]
    assert [(s.kpj, s.status) for s in overview.statements] == [(member.kpj, "aktif"), (older.kpj, "non-aktif")]
    assert overview.jht_total == sum(s.programmes["JHT"].balance for s in overview.statements)


def test_someone_elses_kpj_is_never_shown(unlocked):
    stranger = make_member(kpj="55465628384", name="BAGUS HARTONO", sex="M", phone="+628387045279")
    assert stranger.kpj not in unlocked.get(BALANCE).content.decode()
    assert unlocked.get(reverse("portal:balance-pdf", args=[stranger.kpj])).status_code == 404


def test_every_view_is_in_the_audit_trail(unlocked, account, member):
    unlocked.get(BALANCE)
    unlocked.get(reverse("portal:balance-pdf", args=[member.kpj]))
    unlocked.get(CARDS)
    rows = list(Disclosure.objects.order_by("id").values_list("channel", "recipient", "kpj", "what"))
    who = str(account.user_id)
    assert rows == [
        ("web", who, member.kpj, "statement"),
        ("web", who, member.kpj, "statement-pdf"),
        ("web", who, member.kpj, "card"),
    ]


def test_the_statement_downloads_as_a_pdf(unlocked, member):
    response = unlocked.get(reverse("portal:balance-pdf", args=[member.kpj]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="saldo-{member.kpj}-')
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    statement = statement_get(kpj=member.kpj, as_of=timezone.localdate())
    assert "NENG KURNIASIH" in text and member.kpj in text
    assert format_rupiah(statement.programmes["JHT"].balance) in text
    assert "Bulan tanpa iuran: 1." in text and text.count("Tidak ada iuran") == 1


def test_a_confirmed_pin_opens_the_balance_for_a_while_only(pin_sent, settings):
    assert settings.SALDO_PORTAL["BALANCE_UNLOCK_MINUTES"] == 10
    settings.SALDO_PORTAL = {**settings.SALDO_PORTAL, "BALANCE_UNLOCK_MINUTES": 0}
    pin_sent.post(PIN_PAGE, {"pin": last_pin()})
    assert pin_sent.get(BALANCE)["Location"] == f"{PIN_PAGE}?ke=saldo"


def test_logging_out_closes_the_balance(unlocked):
    unlocked.post(reverse("portal:logout"))
    assert unlocked.get(BALANCE)["Location"].startswith(reverse("portal:login"))


def test_the_digital_card_carries_a_signed_qr_code(unlocked, member):
    response = unlocked.get(CARDS)
    (card,) = response.context["cards"]
    assert (card.kpj, card.name, card.status, card.employer_name) == (
        member.kpj, "NENG KURNIASIH", "aktif", "PT PRIMA SUKSES"
    )
    page = response.content.decode()
    assert 'class="qr"><title>Kode QR kartu 68516716147</title>' in page


def test_the_card_qr_code_holds_the_signed_card(unlocked):
    """What the QR code holds verifies as a Saldo card (the check `saldo verify-card` makes)."""
    from saldo.portal.cards import qr_svg

    response = unlocked.get(CARDS)
    (card,) = response.context["cards"]
    check = card_verify(payload=card.payload, now=timezone.now())
    assert (check.valid, check.claims["kpj"], check.claims["status"]) == (True, card.kpj, "aktif")
    assert qr_svg(card.payload, title="Kode QR kartu 68516716147") in response.content.decode()


def test_a_merged_card_says_where_its_balance_went(unlocked, member):
    from saldo.merging.services import kpj_merge

    older = make_member(kpj="90090801580", person=member.person, start_date=member.start_date.replace(year=2015),
                        end_date=member.start_date - timedelta(days=1))
    post_contribution(older, "2016-03", 3_000_000)
    kpj_merge(from_kpj=older.kpj, to_kpj=member.kpj, now=timezone.now())
    response = unlocked.get(BALANCE)
    assert response.context["overview"].merged_into == {older.kpj: member.kpj}
    assert f"Saldo kartu ini sudah digabung ke KPJ {member.kpj}." in response.content.decode()
