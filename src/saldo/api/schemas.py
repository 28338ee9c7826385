"""The JSON shapes of the API. Money is integer whole rupiah; dates are ISO 8601; months YYYY-MM.
Examples are the demo members of `saldo seed` (README), so the docs page shows real answers."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from saldo.claims.rules import Document, Reason

KPJ = r"^[0-9]{11}$"
NIK = r"^[0-9]{16}$"
PIN = r"^[0-9]{6}$"
DEVICE_ID = r"^[A-Za-z0-9._:-]{1,64}$"
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# --- errors (RFC 9457) -----------------------------------------------------------------------------


class ProblemField(Schema):
    field: str = Field(examples=["nik"])
    message: str = Field(examples=["NIK harus 16 angka"])
    code: str | None = Field(None, description="this problem's own stable code where it has one (a claim's "
                             "documents, e.g. document_type_mismatch; unmet conditions); absent otherwise")


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
    mother_maiden_name: str = Field(min_length=1, max_length=100, description="nama ibu kandung",
                                    examples=["SITI"])
    phone: str = Field(min_length=1, max_length=20,
                       description="mobile number; must be the one on record, where the PIN goes",
                       examples=["08387045279"])
    email: str = Field(min_length=3, max_length=254, description="must be the one on record; the login from then on",
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


class LoginPinIn(Schema):
    email: str = Field(min_length=1, max_length=254, examples=["neng@example.com"])


class LoginPinSentOut(Schema):
    detail: str = Field(description="the same whether or not the email has an account")


class LoginWithPinIn(DeviceIn):
    email: str = Field(min_length=1, max_length=254, examples=["neng@example.com"])
    pin: str = Field(pattern=PIN, examples=["123456"])
    password: str = Field(min_length=1, max_length=128)


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


# --- claims -------------------------------------------------------------------------------------------

CLAIM_NUMBER = r"^KL-[0-9]{8}-[0-9]{6,12}$"
ReasonCode = Literal[tuple(r.value for r in Reason)]  # type: ignore[valid-type]
DocumentKind = Literal[tuple(d.value for d in Document)]  # type: ignore[valid-type]
ClaimStatusCode = Literal["submitted", "verifying", "approved", "rejected", "paid", "cancelled"]
VerificationCode = Literal["self_service", "video_call", "branch_visit"]
REASON_HELP = "the claim reason's code: " + ", ".join(r.value for r in Reason) + " (see /claim-reasons)"


class DocumentChoiceOut(Schema):
    kind: DocumentKind = Field(examples=["resignation_letter"])
    label: str = Field(examples=["surat keterangan berhenti bekerja dari pemberi kerja"])


class DocumentRequirementOut(Schema):
    any_of: list[DocumentChoiceOut] = Field(description="upload one of these (the first is the usual one)")


class ReasonOut(Schema):
    reason: ReasonCode = Field(examples=["resignation"])
    label: str = Field(examples=["mengundurkan diri"])
    percent: int = Field(description="share of the JHT balance paid; 100 pays it all and closes the account")
    needs_event_date: bool = Field(description="the application needs event_date (departure, disability, death)")
    needs_heir_name: bool = Field(description="made by the member's heirs: the application needs heir_name")
    always_staff_verified: bool = Field(description="verified by staff whatever the balance (video call or branch)")
    min_age: int | None = Field(description="age the member must have reached on the claim date")
    waiting_months: int = Field(description="whole months after leaving the employer before it can be claimed")
    min_membership_years: int = Field(description="years since the person's first KPJ")
    documents: list[DocumentRequirementOut] = Field(description="every requirement needs one upload")


class ReasonsOut(Schema):
    reasons: list[ReasonOut]
    accepted_types: list[str] = Field(description="checked by the file's content, which must match its name",
                                      examples=[["application/pdf", "image/jpeg", "image/png"]])
    max_upload_bytes: int = Field(description="the largest document accepted", examples=[6291456])
    self_service_limit: int = Field(description="a JHT balance above this is verified by staff, whole rupiah")


class ConditionOut(Schema):
    code: str = Field(description="stable code of the unmet condition", examples=["waiting_period"])
    message: str = Field(examples=["masa tunggu 1 bulan setelah berhenti bekerja berakhir pada 15-02-2025"])
    earliest: date | None = Field(description="the day time alone meets it; null when time alone will not")


class PayoutOut(Schema):
    jht: int = Field(description="gross from the JHT account")
    jp: int = Field(description="gross JP lump sum (0 unless the rules pay one with this claim)")
    gross: int
    tax: int = Field(description="final PPh 21 withheld")
    net: int = Field(description="what the member receives")


class TaxWindowOut(Schema):
    earlier_gross: int = Field(description="paid by the person's claims this calendar year and the one before")
    earlier_tax: int = Field(description="the tax already withheld on them; this claim is taxed on the total")


class ClaimEstimateOut(Schema):
    kpj: str = Field(examples=["55465628384"])
    reason: ReasonCode
    reason_label: str
    as_of: date = Field(description="the claim date the answer is for")
    currency: Literal["IDR"] = "IDR"
    eligible: bool
    eligible_from: date | None = Field(
        description="as_of when eligible; else the earliest day, when time alone meets every condition; else null")
    conditions: list[ConditionOut] = Field(description="every unmet condition (empty when eligible)")
    jht_balance: int
    jp_balance: int
    payout: PayoutOut = Field(description="what the claim would pay on the balances as of as_of")
    tax_window: TaxWindowOut
    verification: Literal["self_service", "video_call"] = Field(
        description="self_service, or video_call when staff verify (the member may ask for branch_visit instead)")
    self_service: bool
    self_service_limit: int


class ClaimEventOut(Schema):
    at: datetime
    action: str = Field(examples=["submitted"], description="submitted, verification_started, verified, approved, "
                                                            "rejected, cancelled, paid")
    action_label: str = Field(examples=["Diajukan"])
    status: ClaimStatusCode = Field(description="the claim's status after this step")
    by: str = Field(description="member, staff or system (staff are not named)", examples=["member"])


class ClaimAmountsOut(Schema):
    gross: int
    tax: int
    net: int


class ClaimPaidOut(ClaimAmountsOut):
    on: date


class ClaimOut(Schema):
    number: str = Field(pattern=CLAIM_NUMBER, examples=["KL-20261126-000001"])
    kpj: str
    reason: ReasonCode
    reason_label: str
    status: ClaimStatusCode
    status_label: str = Field(examples=["Diajukan"])
    open: bool = Field(description="still in progress (submitted, verifying or approved)")
    cancellable: bool = Field(description="the member may still cancel it (submitted or verifying)")
    verification: VerificationCode
    verification_label: str
    verified: bool = Field(description="staff recorded the video call or branch visit")
    submitted_at: datetime
    event_date: date | None
    estimate: ClaimAmountsOut = Field(description="what the member was shown when applying")
    rejection_reason: str | None
    paid: ClaimPaidOut | None
    events: list[ClaimEventOut] = Field(description="who did what, oldest first")


class ClaimsOut(Schema):
    kpj: str
    claims: list[ClaimOut] = Field(description="newest first")


class ClaimApplyIn(Schema):
    """The application's fields (multipart/form-data, beside the files in `documents`)."""

    reason: str = Field(max_length=30, description=REASON_HELP, examples=["resignation"])
    bank_code: str = Field(pattern=r"^[0-9]{3}$", description="the bank's 3-digit Bank Indonesia code (kode bank), "
                           "e.g. 002 BRI, 008 Mandiri, 009 BNI, 014 BCA, 451 BSI", examples=["014"])
    bank_account: str = Field(max_length=60, description="the member's own account (the heir's, for a death claim); "
                              "the bank is asked who holds it and the holder's name must match, else 422 "
                              "bank_account_name_mismatch / bank_account_not_found; 503 bank_unavailable when the "
                              "bank cannot be asked now", examples=["1234567890"])
    document_kinds: list[str] = Field(
        default_factory=list, max_length=20,
        description="the kind of each file in `documents`, in the same order (one kind per file; see /claim-reasons)",
        examples=[["kpj_card", "ktp", "resignation_letter"]])
    event_date: date | None = Field(None, description="day of departure, disability or death, for those reasons")
    heir_name: str = Field("", max_length=100, description="for a death claim: the heir applying")
    verification: Literal["video_call", "branch_visit"] | None = Field(
        None, description="how staff verify, when they must (balance above the limit, death, disability); "
                          "default video_call; ignored for self-service")


class ContactChangeIn(Schema):
    """A request to change the contacts on record (multipart/form-data, beside `ktp_photo` and
    `selfie_photo`): the identity data as at registration, and the new phone, email or both."""

    kpj: str = Field(pattern=KPJ, examples=["55465628384"])
    nik: str = Field(pattern=NIK, examples=["3515112311860043"])
    birth_date: date = Field(examples=["1986-11-23"])
    name: str = Field(min_length=1, max_length=100, examples=["BAGUS HARTONO"])
    mother_maiden_name: str = Field(min_length=1, max_length=100, examples=["SITI"])
    phone: str = Field("", max_length=20, description="the new mobile number; empty keeps the one on record",
                       examples=["085711112222"])
    email: str = Field("", max_length=254, description="the new email; empty keeps the one on record",
                       examples=["bagus.baru@example.com"])


class ContactChangeOut(Schema):
    status: str = Field(description="waiting: staff check it; it takes effect a cooling-off period after approval",
                        examples=["waiting"])
    requested_at: datetime
    cooling_off_hours: int = Field(examples=[72])


class NotMeIn(Schema):
    code: str = Field(min_length=8, max_length=20, description="the code in the security notice (SMS or email)",
                      examples=["K7Q2M9AB"])


class NotMeOut(Schema):
    frozen: bool = Field(description="online access and claims of the member are frozen until staff clear it")


# --- account settings ---------------------------------------------------------------------------------

PASSWORD_EXAMPLE = "rahasia-Saldo-2026"


class PasswordChangeIn(Schema):
    current_password: str = Field(min_length=1, max_length=128, description="a wrong one counts as a failed log-in",
                                  examples=[PASSWORD_EXAMPLE])
    new_password: str = Field(min_length=1, max_length=128,
                              description="at least 8 characters, not common, not the current one",
                              examples=["Saldo-baru-2027!"])


class PhoneChangeIn(Schema):
    password: str = Field(min_length=1, max_length=128, description="the account's password (a wrong one counts as "
                          "a failed log-in)", examples=[PASSWORD_EXAMPLE])
    phone: str = Field(min_length=1, max_length=20, description="the new mobile number; not another member's phone "
                       "on record", examples=["085711112222"])


class PhoneChangePinIn(Schema):
    phone: str = Field(min_length=1, max_length=20, description="the new number, as in the first step",
                       examples=["085711112222"])
    pin: str = Field(pattern=PIN, examples=["123456"])


class EmailChangeIn(Schema):
    password: str = Field(min_length=1, max_length=128, description="the account's password (a wrong one counts as "
                          "a failed log-in)", examples=[PASSWORD_EXAMPLE])
    email: str = Field(min_length=3, max_length=254, description="the new email, the login from then on; not "
                       "another account's login", examples=["neng.baru@example.com"])


class EmailChangePinIn(Schema):
    email: str = Field(min_length=3, max_length=254, description="the new email, as in the first step",
                       examples=["neng.baru@example.com"])
    pin: str = Field(pattern=PIN, examples=["123456"])


class PinSentOut(Schema):
    sent_to: str = Field(description="where this step's PIN went, masked", examples=["+62815****745"])
    expires_at: datetime
    next: str = Field(description="the operation that takes this PIN", examples=["/api/v1/account/phone/confirm-old"])


class BindingOut(Schema):
    id: int = Field(examples=[1])
    phone: str = Field(description="masked, unless it is the member's own phone on record",
                       examples=["+62815****745"])
    own: bool = Field(description="this is the phone on record")
    kpj: str = Field(examples=["68516716147"])
    channel: str = Field(description="where the number was bound: sms, whatsapp, web or api", examples=["sms"])
    bound_at: datetime
