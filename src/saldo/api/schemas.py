"""The JSON shapes of the API. Money is integer whole rupiah; dates are ISO 8601; months YYYY-MM.
Examples are the demo members of `saldo seed` (README), so the docs page shows real answers."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

KPJ = r"^[0-9]{11}$"
NIK = r"^[0-9]{16}$"
PIN = r"^[0-9]{6}$"
DEVICE_ID = r"^[A-Za-z0-9._:-]{1,64}$"
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# --- errors (RFC 9457) -----------------------------------------------------------------------------


class ProblemField(Schema):
    field: str = Field(examples=["nik"])
    message: str = Field(examples=["NIK harus 16 angka"])


class Problem(Schema):
    """application/problem+json: `code` is stable for programs, `detail` is for people (in the
    language asked by Accept-Language: id, the default, or en)."""

    type: str = Field(description="URI of the problem type", examples=["urn:saldo:problem:kpj_not_found"])
    title: str = Field(examples=["Tidak ditemukan"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["KPJ 68516716147 tidak ditemukan"])
    code: str = Field(examples=["kpj_not_found"])
    errors: list[ProblemField] = Field(default_factory=list, description="one entry per invalid field")
    retry_after: int | None = Field(None, description="seconds to wait (also the Retry-After header)")
    remaining: int | None = Field(None, description="PIN tries left")


# --- auth --------------------------------------------------------------------------------------------


class RegisterIn(Schema):
    kpj: str = Field(pattern=KPJ, description="Nomor KPJ (on the membership card)", examples=["55465628384"])
    nik: str = Field(pattern=NIK, description="NIK (e-KTP)", examples=["3515112311860043"])
    birth_date: date = Field(examples=["1986-11-23"])
    name: str = Field(min_length=1, max_length=100, examples=["BAGUS HARTONO"])
    phone: str = Field(min_length=1, max_length=20, description="mobile number; the PIN goes there",
                       examples=["08387045279"])
    email: str = Field(min_length=3, max_length=254, description="the login from then on",
                       examples=["bagus@example.com"])


class ChallengeOut(Schema):
    challenge: str = Field(description="send it back with the PIN")
    expires_at: datetime
    sent_to: str = Field(description="the number the PIN was texted to, masked", examples=["+62815****745"])


class DeviceIn(Schema):
    device_id: str = Field(pattern=DEVICE_ID, description="stable id of this app installation",
                           examples=["pixel-7a-3f9c"])
    device_name: str = Field("", max_length=100, examples=["Pixel 7a"])


class ActivateIn(DeviceIn):
    challenge: str = Field(min_length=1, max_length=100)
    pin: str = Field(pattern=PIN, examples=["123456"])
    password: str = Field(min_length=1, max_length=128, description="at least 8 characters, not common")


class LoginIn(Schema):
    email: str = Field(min_length=1, max_length=254, examples=["neng@example.com"])
    password: str = Field(min_length=1, max_length=128)


class LoginVerifyIn(DeviceIn):
    challenge: str = Field(min_length=1, max_length=100)
    pin: str = Field(pattern=PIN, examples=["123456"])


class RefreshIn(Schema):
    refresh_token: str = Field(min_length=1, max_length=100)
    device_id: str = Field(pattern=DEVICE_ID, examples=["pixel-7a-3f9c"])


class TokenPairOut(Schema):
    token_type: Literal["Bearer"] = "Bearer"
    access_token: str
    expires_in: int = Field(description="seconds the access token lives")
    access_expires_at: datetime
    refresh_token: str = Field(description="works only with the same device_id; spent when used")
    refresh_expires_at: datetime


class DeviceOut(Schema):
    device_id: str
    device_name: str
    created_at: datetime
    last_used_at: datetime
    current: bool = Field(description="the device making this request")


# --- member data --------------------------------------------------------------------------------------


class PersonOut(Schema):
    name: str = Field(examples=["NENG KURNIASIH"])
    nik: str = Field(examples=["3278064710870007"])
    birth_date: date
    sex: Literal["M", "F"]
    email: str
    phone: str = Field(description="where PINs are sent")
    cards: int = Field(description="number of KPJ cards")


class EmployerOut(Schema):
    npp: str
    name: str


Status = Literal["aktif", "non-aktif"]


class CardOut(Schema):
    kpj: str = Field(examples=["68516716147"])
    status: Status
    employer: EmployerOut
    start_date: date
    end_date: date | None
    merged_into: str | None = Field(description="the KPJ this card's balance was merged into")


class CardsOut(Schema):
    cards: list[CardOut]


class BalanceOut(Schema):
    kpj: str
    as_of: date
    currency: Literal["IDR"] = "IDR"
    jht: int = Field(description="Jaminan Hari Tua, whole rupiah")
    jp: int | None = Field(description="Jaminan Pensiun; null when the card has no JP")
    total: int
    last_period: str | None = Field(pattern=MONTH, description="latest month with iuran received")


class YearOut(Schema):
    opening: int
    employer: int
    worker: int
    returns: int
    withdrawals: int
    transfers: int
    reversals: int
    closing: int


class MonthOut(Schema):
    period: str = Field(pattern=MONTH)
    wage: int | None
    jht_employer: int
    jht_worker: int
    jp_employer: int
    jp_worker: int
    gap: bool = Field(description="no iuran received for a month the card was open and it was due")


class StatementOut(Schema):
    kpj: str
    year: int
    as_of: date
    status: Status
    employer: EmployerOut
    start_date: date
    end_date: date | None
    programmes: dict[Literal["JHT", "JP"], YearOut]
    months: list[MonthOut]


class ContributionsOut(Schema):
    kpj: str
    first: str = Field(pattern=MONTH)
    last: str = Field(pattern=MONTH)
    months: list[MonthOut]
    paid: int
    gaps: int


class DigitalCardOut(Schema):
    kpj: str
    name: str
    status: Status
    employer_name: str
    issued_at: datetime
    expires_at: datetime
    payload: str = Field(description="SALDO1.<claims>.<signature>: what the QR code holds")
    qr_png: str = Field(description="the QR code as a data: URI (PNG)")


class PublicKeyOut(Schema):
    kid: str
    algorithm: Literal["Ed25519"]
    public_key: str = Field(description="raw 32-byte key, base64url")
    pem: str
    current: bool = Field(description="the key new cards are signed with")


class PublicKeysOut(Schema):
    payload_format: str
    keys: list[PublicKeyOut]


class MergeIn(Schema):
    from_kpj: str = Field(pattern=KPJ, description="the older card", examples=["90090801580"])
    to_kpj: str = Field(pattern=KPJ, description="the newer card that keeps the balance", examples=["34086313831"])


class Amounts(Schema):
    JHT: int
    JP: int


class MergeOut(Schema):
    from_kpj: str
    to_kpj: str
    merged_at: datetime
    moved: Amounts = Field(description="moved to the new card, in all")
    moved_now: Amounts = Field(description="moved by this request (zero when repeated)")
