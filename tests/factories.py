"""Builders for test data, going through the same services the operators use."""

import itertools
import re
from datetime import UTC, date, datetime

from django.utils import timezone

from saldo.contributions.models import Contribution
from saldo.contributions.rates import iuran_compute
from saldo.core.csvfile import parse_date
from saldo.core.periods import month_end, parse_period
from saldo.identity.models import PhoneBinding
from saldo.ledger.models import Account, EntryKind, Programme
from saldo.ledger.services import Line, accounts_open, posting_create
from saldo.registry.models import Employer, Membership, Person

_serial = itertools.count(1)


def nik_for(birth_date: date, sex: str, *, region: str = "327301", serial: int | None = None) -> str:
    day = birth_date.day + (40 if sex == "F" else 0)
    serial = next(_serial) if serial is None else serial
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def make_employer(*, npp: str = "12345678", name: str = "PT MAJU JAYA") -> Employer:
    return Employer.objects.get_or_create(npp=npp, defaults={"name": name})[0]


def make_member(
    *,
    kpj: str | None = None,
    birth_date: date = date(1990, 8, 17),
    sex: str = "F",
    name: str = "SITI AMINAH",
    start_date: date = date(2019, 1, 1),
    end_date: date | None = None,
    employer: Employer | None = None,
    person: Person | None = None,
    phone: str = "+6281234567890",
) -> Membership:
    n = next(_serial)
    if person is None:
        person = Person.objects.create(
            nik=nik_for(birth_date, sex, serial=n),
            name=name,
            birth_date=birth_date,
            sex=sex,
            mother_maiden_name="RATNA",
            phone=phone,
            email=f"m{n}@example.com",
        )
    membership = Membership.objects.create(
        kpj=kpj or f"{n:011d}",
        person=person,
        employer=employer or make_employer(),
        start_date=start_date,
        end_date=end_date,
    )
    accounts_open(membership=membership)
    return membership


BANK_CODE = "014"  # BCA
BANK_ACCOUNT = "1234567890"


def bank_account_open(name: str, *, number: str = BANK_ACCOUNT, bank_code: str = BANK_CODE) -> dict[str, str]:
    """Open an account in `name` at the bank the tests talk to (the SNAP stand-in of
    tests/conftest.py); the claim fields that name it."""
    from tests.banking.snap_stand_in import current_bank

    current_bank().open(name, number=number, bank_code=bank_code)
    return {"bank_code": bank_code, "bank_account": number}


def account_of(membership: Membership, programme: str = Programme.JHT) -> Account:
    return Account.objects.get(membership=membership, programme=programme)


def post_contribution(membership: Membership, period: str, wage: int) -> Contribution:
    """Post one month of iuran the way an import does: contribution row plus four entries."""
    p = parse_period(period)
    iuran = iuran_compute(wage=wage, period=p)
    jht, jp = account_of(membership, Programme.JHT), account_of(membership, Programme.JP)
    vd = month_end(p)
    lines = [
        Line(jht.id, EntryKind.EMPLOYER_CONTRIBUTION, iuran.jht_employer, vd),
        Line(jht.id, EntryKind.WORKER_CONTRIBUTION, iuran.jht_worker, vd),
    ]
    if iuran.jp:
        lines += [
            Line(jp.id, EntryKind.EMPLOYER_CONTRIBUTION, iuran.jp_employer, vd),
            Line(jp.id, EntryKind.WORKER_CONTRIBUTION, iuran.jp_worker, vd),
        ]
    posting = posting_create(key=f"test-iuran:{membership.kpj}:{period}", lines=lines)
    return Contribution.objects.create(
        membership=membership,
        period=p,
        wage=wage,
        jht_employer=iuran.jht_employer,
        jht_worker=iuran.jht_worker,
        jp_employer=iuran.jp_employer,
        jp_worker=iuran.jp_worker,
        posting=posting,
    )


def post_entries(account: Account, entries: list[tuple[date, int]], *, key: str,
                 kind: str = EntryKind.EMPLOYER_CONTRIBUTION):
    """Post raw ledger entries (value date, amount) to one account under one key."""
    return posting_create(key=key, lines=[Line(account.id, kind, amount, vd) for vd, amount in entries])


MEMBER_HEADER = "kpj,nik,name,birth_date,sex,mother_maiden_name,phone,email,npp,employer_name,start_date"


def member_csv_row(
    *,
    kpj: str = "10000000001",
    nik: str | None = None,
    name: str = "Budi Santoso",
    birth_date: str = "1985-03-12",
    sex: str = "L",
    mother_maiden_name: str = "Sri Wahyuni",
    phone: str = "0812-3456-7890",
    email: str = "budi@example.com",
    npp: str = "12345678",
    employer_name: str = "PT Maju Jaya",
    start_date: str = "2020-01-01",
) -> str:
    """One line of a member import file; the NIK is derived from birth date and sex unless given."""
    if nik is None:
        female = sex.strip().upper() in ("P", "F", "W", "PEREMPUAN")
        nik = nik_for(parse_date(birth_date), "F" if female else "M", serial=int(kpj[-4:]) or 1)
    return ",".join([kpj, nik, name, birth_date, sex, mother_maiden_name, phone, email, npp, employer_name,
                     start_date])


def bind_phone(
    membership: Membership, phone: str = "+6281234567890", *, bound_at: datetime | None = None, channel: str = "sms"
) -> PhoneBinding:
    """Bind a phone number to a KPJ as a successful DAFTAR SALDO would."""
    return PhoneBinding.objects.create(
        phone=phone, membership=membership, channel=channel, bound_at=bound_at or timezone.now()
    )


def pin_sent_to(phone: str) -> str:
    """The PIN in the latest SMS queued for `phone` (what the member reads on the handset)."""
    from saldo.channels.models import OutboundMessage

    # The latest SMS that carries a PIN: security notices may have come after it.
    text = OutboundMessage.objects.filter(to=phone, text__startswith="PIN Saldo").latest("id").text
    return re.search(r"\b(\d{6})\b", text).group(1)


def make_account(
    membership: Membership,
    *,
    email: str = "siti@example.com",
    password: str = "rahasia-Saldo-2026",
    phone: str = "+6281234567890",
    now: datetime | None = None,
):
    """An activated member account for `membership`'s person, made the way a member makes one. The
    phone and email become the person's contacts on record first (only those can open an account)."""
    from saldo.identity.accounts import Registration, account_activate, account_register

    now = now or datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    person = membership.person
    Person.objects.filter(id=person.id).update(phone=phone, email=email)
    person.refresh_from_db()
    registration = Registration(
        kpj=membership.kpj, nik=person.nik, birth_date=person.birth_date, name=person.name, phone=phone, email=email,
        mother_maiden_name=person.mother_maiden_name,
    )
    started = account_register(registration=registration, channel="web", now=now)
    return account_activate(account_id=started.account_id, pin=pin_sent_to(phone), password=password, now=now)


# --- claims (saldo.claims) ---------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def claim_documents(reason: str):
    """One acceptable PDF upload for each document `reason` requires (the first of each choice)."""
    from saldo.claims.documents import DocumentUpload
    from saldo.claims.rules import rule_get

    kinds = [requirement[0] for requirement in rule_get(reason).required_documents]
    return [DocumentUpload(kind=kind.value, name=f"{kind.value}.pdf", content=PDF_BYTES) for kind in kinds]


def make_resigned_member(*, kpj: str | None = None, left_on: date = date(2025, 1, 15), wage: int = 5_000_000,
                         months: int = 12, start_date: date = date(2015, 1, 1), **member) -> Membership:
    """A member who resigned on `left_on` (the employer reported it), with `months` of iuran up
    to the month before."""
    from saldo.core.periods import add_months, format_period, month_start

    membership = make_member(kpj=kpj, start_date=start_date, end_date=left_on, **member)
    last = add_months(month_start(left_on), -1)
    for i in range(months - 1, -1, -1):
        post_contribution(membership, format_period(add_months(last, -i)), wage)
    return membership


# --- staff (saldo.staff) -----------------------------------------------------------------------

# A claim's three people: rina verifies, budi approves, sari pays (make_claim_crew).
CLAIM_CREW = ("staff:rina", "staff:budi", "staff:sari")


def make_staff(*roles, username: str | None = None, superuser: bool = False):
    """An active staff account (is_staff) in the groups of `roles` (saldo.staff.roles.Role), as an
    administrator sets one up in the admin; it is named staff_actor(user) in trails."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(  # no password (tests log in with force_login): no slow hashing
        username or f"petugas{next(_serial)}", password=None, is_staff=True, is_superuser=superuser
    )
    user.groups.set([Group.objects.get(name=role) for role in roles])  # the migration's groups
    return user


def make_claim_crew() -> tuple[str, str, str]:
    """The three staff of CLAIM_CREW in their groups; their actor names (verifier, approver, treasurer)."""
    from saldo.staff.roles import Role

    for actor, role in zip(CLAIM_CREW, (Role.VERIFIER, Role.APPROVER, Role.TREASURER), strict=True):
        make_staff(role, username=actor.removeprefix("staff:"))
    return CLAIM_CREW


def transport_dropped(message):
    """An SMS/WhatsApp transport (settings.SALDO_TRANSPORTS) that accepts every message and sends
    nothing: the outbox row keeps the text, where tests read PINs and notices."""
    from saldo.channels.outbox import SendResult

    return SendResult(ok=True)


