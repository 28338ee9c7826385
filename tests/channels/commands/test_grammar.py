"""The SMS grammar over the spellings members really send (domain.md §6, both seed articles)."""

from datetime import date

import pytest

from saldo.channels.commands.grammar import (
    Daftar,
    FormatError,
    Help,
    Klaim,
    Saldo,
    Status,
    Unknown,
    parse,
    parse_date,
)

TODAY = date(2026, 11, 26)
NIK = "3278064710870007"  # a woman born 07-10-1987 (day + 40)
KPJ = "68516716147"
BORN = date(1987, 10, 7)

WITH_NAME = Daftar(nik=NIK, name="NENG KURNIASIH", birth_date=BORN, kpj=KPJ, email="neng@example.com")
WITH_NAME_NO_EMAIL = Daftar(nik=NIK, name="NENG KURNIASIH", birth_date=BORN, kpj=KPJ, email=None)
NO_NAME = Daftar(nik=NIK, name=None, birth_date=BORN, kpj=KPJ, email="neng@example.com")
NO_NAME_NO_EMAIL = Daftar(nik=NIK, name=None, birth_date=BORN, kpj=KPJ, email=None)


def daftar_error(field):
    return FormatError("daftar", field)


CASES = [
    # label, text, expected
    # Seed 000 (2020): NIK#NAMA#dd-mm-yy#KPJ#EMAIL
    ("seed 000", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-10-87#{KPJ}#neng@example.com", WITH_NAME),
    ("seed 000 no email", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-10-87#{KPJ}", WITH_NAME_NO_EMAIL),
    ("seed 000 trailing #", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-10-87#{KPJ}#", WITH_NAME_NO_EMAIL),
    ("seed 000 four-digit year", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-10-1987#{KPJ}#neng@example.com", WITH_NAME),
    ("seed 000 literal (spasi)", f"DAFTAR(spasi)SALDO#{NIK}#NENG KURNIASIH#07-10-87#{KPJ}", WITH_NAME_NO_EMAIL),
    ("seed 000 (spasi) spaced", f"Daftar (spasi) Saldo#{NIK}#Neng Kurniasih#07-10-87#{KPJ}", WITH_NAME_NO_EMAIL),
    # Seed 001 (2023): NIK#DD-MM-YYYY or DDMMYYYY#KPJ#email, no name
    ("seed 001 example shape", f"Daftar SALDO#{NIK}#07101987#{KPJ}#neng@example.com", NO_NAME),
    ("seed 001 dashed date", f"Daftar SALDO#{NIK}#07-10-1987#{KPJ}#neng@example.com", NO_NAME),
    ("seed 001 no email", f"Daftar SALDO#{NIK}#07-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("seed 001 trailing #", f"Daftar SALDO#{NIK}#07101987#{KPJ}#", NO_NAME_NO_EMAIL),
    ("seed 001 two-digit year", f"DAFTAR SALDO#{NIK}#07-10-87#{KPJ}", NO_NAME_NO_EMAIL),
    # Case and spacing
    ("lower case", f"daftar saldo#{NIK}#neng kurniasih#07-10-1987#{KPJ}#Neng@Example.com", WITH_NAME),
    ("two spaces", f"DAFTAR  SALDO#{NIK}#NENG KURNIASIH#07-10-1987#{KPJ}", WITH_NAME_NO_EMAIL),
    ("no space", f"DAFTARSALDO#{NIK}#NENG KURNIASIH#07-10-1987#{KPJ}", WITH_NAME_NO_EMAIL),
    ("spaces around #", f" DAFTAR SALDO # {NIK} # NENG  KURNIASIH # 07-10-1987 # {KPJ} ", WITH_NAME_NO_EMAIL),
    ("space before first #", f"DAFTAR SALDO #{NIK}#07-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("space instead of first #", f"DAFTAR SALDO {NIK}#07-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("doubled #", f"DAFTAR SALDO##{NIK}##07-10-1987#{KPJ}##", NO_NAME_NO_EMAIL),
    ("line breaks", f"DAFTAR SALDO\n#{NIK}\n#07-10-1987\n#{KPJ}", NO_NAME_NO_EMAIL),
    ("no # at all", f"DAFTAR SALDO {NIK} NENG KURNIASIH 07-10-1987 {KPJ}", WITH_NAME_NO_EMAIL),
    ("no # with email", f"daftar saldo {NIK} 07101987 {KPJ} neng@example.com", NO_NAME),
    ("full-width letters and digits", f"ＤＡＦＴＡＲ ＳＡＬＤＯ＃{NIK}＃07-10-1987＃{KPJ}", NO_NAME_NO_EMAIL),
    # Dates
    ("date slashes", f"DAFTAR SALDO#{NIK}#07/10/1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date dots", f"DAFTAR SALDO#{NIK}#07.10.1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date single digits", f"DAFTAR SALDO#{NIK}#7-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date packed two-digit year", f"DAFTAR SALDO#{NIK}#071087#{KPJ}", NO_NAME_NO_EMAIL),
    ("date spaces", f"DAFTAR SALDO#{NIK}#07 10 1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date month name", f"DAFTAR SALDO#{NIK}#7 Okt 1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date month name dashed", f"DAFTAR SALDO#{NIK}#07-OKTOBER-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("date ISO", f"DAFTAR SALDO#{NIK}#1987-10-07#{KPJ}", NO_NAME_NO_EMAIL),
    ("date en dash", f"DAFTAR SALDO#{NIK}#07–10–1987#{KPJ}", NO_NAME_NO_EMAIL),
    # Numbers with spaces or dashes inside
    ("KPJ spaced", f"DAFTAR SALDO#{NIK}#07-10-1987#685 1671 6147", NO_NAME_NO_EMAIL),
    ("KPJ dashed", f"DAFTAR SALDO#{NIK}#07-10-1987#685-167-16147", NO_NAME_NO_EMAIL),
    ("NIK spaced", f"DAFTAR SALDO#3278 0647 1087 0007#07-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    ("NIK dotted", f"DAFTAR SALDO#3278.064710.870007#07-10-1987#{KPJ}", NO_NAME_NO_EMAIL),
    # Names: titles and punctuation are kept here and compared leniently by the registration
    (
        "name with titles",
        f"DAFTAR SALDO#{NIK}#Hj. Neng Kurniasih, S.E.#07-10-1987#{KPJ}",
        Daftar(nik=NIK, name="HJ. NENG KURNIASIH, S.E.", birth_date=BORN, kpj=KPJ, email=None),
    ),
    (
        "name with apostrophe",
        f"DAFTAR SALDO#{NIK}#Ma'ruf Amin#07-10-1987#{KPJ}",
        Daftar(nik=NIK, name="MA'RUF AMIN", birth_date=BORN, kpj=KPJ, email=None),
    ),
    # Email written as "none"
    ("email dash", f"DAFTAR SALDO#{NIK}#07-10-1987#{KPJ}#-", NO_NAME_NO_EMAIL),
    ("email tidak ada", f"DAFTAR SALDO#{NIK}#07-10-1987#{KPJ}#tidak ada", NO_NAME_NO_EMAIL),
    # The umsu.ac.id example: its NIK cannot encode that date (day 80, month 97) and its KPJ has 10 digits
    ("umsu example", "DAFTAR SALDO#3523418097870002#ADI SUNARYO#01-09-1987#2345678901", daftar_error("nik")),
    (
        "umsu example with a real NIK",
        "DAFTAR SALDO#3278060109870001#ADI SUNARYO#01-09-1987#2345678901",
        daftar_error("kpj"),
    ),
    # Bad registrations name the first wrong field
    ("NIK 15 digits", f"DAFTAR SALDO#327806471087000#07-10-1987#{KPJ}", daftar_error("nik")),
    ("NIK with a letter", f"DAFTAR SALDO#32780647108700O7#07-10-1987#{KPJ}", daftar_error("nik")),
    ("NIK unknown province", f"DAFTAR SALDO#9978064710870007#07-10-1987#{KPJ}", daftar_error("nik")),
    ("NIK Arabic-Indic digits", "DAFTAR SALDO#٣٢٧٨٠٦٤٧١٠٨٧٠٠٠٧#07-10-1987#" + KPJ, daftar_error("nik")),
    ("name with digits", f"DAFTAR SALDO#{NIK}#NENG 2#07-10-1987#{KPJ}", daftar_error("name")),
    ("no such day", f"DAFTAR SALDO#{NIK}#31-02-1987#{KPJ}", daftar_error("birth_date")),
    ("month 13", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-13-1987#{KPJ}", daftar_error("birth_date")),
    ("date in the future", f"DAFTAR SALDO#{NIK}#07-10-2030#{KPJ}", daftar_error("birth_date")),
    ("year only", f"DAFTAR SALDO#{NIK}#1987#{KPJ}", daftar_error("birth_date")),
    ("date missing", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#{KPJ}", daftar_error("birth_date")),
    ("KPJ missing", f"DAFTAR SALDO#{NIK}#NENG KURNIASIH#07-10-1987", daftar_error("kpj")),
    ("KPJ 12 digits", f"DAFTAR SALDO#{NIK}#07-10-1987#685167161470", daftar_error("kpj")),
    ("bad email", f"DAFTAR SALDO#{NIK}#07-10-1987#{KPJ}#neng@", daftar_error("email")),
    ("too many fields", f"DAFTAR SALDO#{NIK}#NENG#07-10-1987#{KPJ}#a@b.co#RATNA", daftar_error("fields")),
    ("keyword only", "DAFTAR SALDO", daftar_error("nik")),
    ("DAFTAR only", "daftar", daftar_error("nik")),
    ("NIK only", f"DAFTAR SALDO#{NIK}", daftar_error("birth_date")),
    # SALDO and STATUS
    ("SALDO KPJ", f"SALDO {KPJ}", Saldo(KPJ)),
    ("saldo lower", f"saldo {KPJ}", Saldo(KPJ)),
    ("SALDO#KPJ", f"SALDO#{KPJ}", Saldo(KPJ)),
    ("SALDO glued", f"SALDO{KPJ}", Saldo(KPJ)),
    ("SALDO spaced KPJ", "Saldo 685 1671 6147", Saldo(KPJ)),
    ("SALDO dashed KPJ", "SALDO 685-1671-6147", Saldo(KPJ)),
    ("SALDO KPJ word", f"SALDO KPJ {KPJ}", Saldo(KPJ)),
    ("SALDO JHT word", f"saldo jht: {KPJ}", Saldo(KPJ)),
    ("CEK SALDO", f"cek saldo {KPJ}", Saldo(KPJ)),
    ("SALDO and thanks", f"SALDO {KPJ} terima kasih", Saldo(KPJ)),
    ("SALDO alone", "SALDO", Saldo(None)),
    ("saldo alone spaced", "  saldo  ", Saldo(None)),
    ("SALDO short KPJ", "SALDO 2345678901", FormatError("saldo", "kpj")),
    ("SALDO words", "SALDO BERAPA", FormatError("saldo", "kpj")),
    ("STATUS KPJ", f"STATUS {KPJ}", Status(KPJ)),
    ("status kepesertaan", f"status kepesertaan {KPJ}", Status(KPJ)),
    ("STATUS alone", "Status", Status(None)),
    ("STATUS bad KPJ", "STATUS 1", FormatError("status", "kpj")),
    # KLAIM
    ("KLAIM KPJ", f"KLAIM {KPJ}", Klaim(KPJ)),
    ("cek klaim jht", f"cek klaim jht {KPJ}", Klaim(KPJ)),
    ("klaim alone", "klaim", Klaim(None)),
    ("KLAIM bad KPJ", "KLAIM 12", FormatError("klaim", "kpj")),
    # Help
    ("BANTUAN", "BANTUAN", Help()),
    ("help", "help", Help()),
    ("Info", "Info", Help()),
    ("INFO?", "INFO?", Help()),
    ("question mark", "?", Help()),
    # Anything else
    ("empty", "", Unknown()),
    ("blank", "   \n ", Unknown()),
    ("greeting", "Selamat pagi", Unknown()),
    ("bare number", KPJ, Unknown()),
    ("only hashes", "####", Unknown()),
    ("too long", "DAFTAR SALDO#" + "#" * 2000, Unknown()),
]


@pytest.mark.parametrize(("label", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse(label, text, expected):
    assert parse(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07-10-87", date(1987, 10, 7)),
        ("01-02-08", date(2008, 2, 1)),  # 18 today: a young worker, not 118
        ("01-02-11", date(2011, 2, 1)),  # 15 today: the youngest working age
        ("01-02-12", date(1912, 2, 1)),  # 14 today would be too young to be a member
        ("01-02-25", date(1925, 2, 1)),
        ("29-02-00", date(2000, 2, 29)),
        ("29-02-1900", None),  # not a leap year
        ("01-01-1899", None),
        ("26-11-2026", date(2026, 11, 26)),
        ("27-11-2026", None),
    ],
)
def test_two_digit_years_and_limits(raw, expected):
    assert parse_date(raw, today=TODAY) == expected
