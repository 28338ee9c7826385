"""The claim reasons, in one table: who may claim, from when, how much, and with which documents.

Permenaker 4/2022 as summarised in shared/domain.md §5. Ages and waiting periods live here and
nowhere else; the eligibility engine (eligibility.py) only reads this table.

Project decisions where domain.md is silent or unconfirmed:
- "Leaving Indonesia" is claimable from the day of departure (the current rule; the 1-month wait
  of 19/2015 is gone), and like resignation it needs a non-aktif membership.
- A PKWT (fixed-term contract) end is claimable at the end date, with the contract-end letter.
- Membership years for a partial claim count from the person's first KPJ, not this one.
- Death and disability claims are always verified by staff (heirs and doctors' certificates
  cannot be checked by self-service), whatever the balance.
- The JP lump sum is paid with an age claim when the member has reached the JP pension age and
  has fewer than 15 years of JP iuran (PP 45/2015 Art. 15 and 17; not in domain.md).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from saldo.core.errors import FieldError, ValidationError
from saldo.core.periods import add_years


class Reason(StrEnum):
    AGE = "age"
    RESIGNATION = "resignation"
    DISMISSAL = "dismissal"
    CONTRACT_END = "contract_end"
    LEAVING_INDONESIA = "leaving_indonesia"
    DISABILITY = "disability"
    DEATH = "death"
    PARTIAL_10 = "partial_10"
    PARTIAL_30 = "partial_30"


class Document(StrEnum):
    """Kinds of document a claim may carry; the stable codes channels put in their forms."""

    KPJ_CARD = "kpj_card"
    KTP = "ktp"
    RESIGNATION_LETTER = "resignation_letter"
    PHK_LABOUR_OFFICE = "phk_labour_office"
    PHK_EMPLOYER_NOTICE = "phk_employer_notice"
    PHK_AGREEMENT = "phk_agreement"
    PHK_COURT_RULING = "phk_court_ruling"
    CONTRACT_END_LETTER = "contract_end_letter"
    LEAVING_STATEMENT = "leaving_statement"
    PASSPORT = "passport"
    DOCTOR_CERTIFICATE = "doctor_certificate"
    DEATH_CERTIFICATE = "death_certificate"
    HEIR_CERTIFICATE = "heir_certificate"
    HEIR_COURT_RULING = "heir_court_ruling"
    FAMILY_CARD = "family_card"
    BANK_BOOK = "bank_book"
    WORK_STATUS_LETTER = "work_status_letter"
    NPWP = "npwp"
    HOUSING_BANK_PAPERS = "housing_bank_papers"


DOCUMENT_LABELS = {
    Document.KPJ_CARD: _("kartu peserta (KPJ)"),
    Document.KTP: _("KTP / identitas"),
    Document.RESIGNATION_LETTER: _("surat keterangan berhenti bekerja dari pemberi kerja"),
    Document.PHK_LABOUR_OFFICE: _("tanda terima atau laporan PHK dari dinas ketenagakerjaan"),
    Document.PHK_EMPLOYER_NOTICE: _("pemberitahuan PHK dari pemberi kerja dan pernyataan tidak menolak PHK"),
    Document.PHK_AGREEMENT: _("perjanjian bersama PHK"),
    Document.PHK_COURT_RULING: _("putusan Pengadilan Hubungan Industrial"),
    Document.CONTRACT_END_LETTER: _("surat keterangan berakhirnya PKWT"),
    Document.LEAVING_STATEMENT: _("surat pernyataan meninggalkan Indonesia untuk selamanya"),
    Document.PASSPORT: _("paspor"),
    Document.DOCTOR_CERTIFICATE: _("surat keterangan dokter (cacat total tetap)"),
    Document.DEATH_CERTIFICATE: _("akta kematian"),
    Document.HEIR_CERTIFICATE: _("surat keterangan ahli waris"),
    Document.HEIR_COURT_RULING: _("penetapan pengadilan tentang ahli waris"),
    Document.FAMILY_CARD: _("kartu keluarga"),
    Document.BANK_BOOK: _("buku tabungan"),
    Document.WORK_STATUS_LETTER: _("surat keterangan masih bekerja dari pemberi kerja"),
    Document.NPWP: _("NPWP"),
    Document.HOUSING_BANK_PAPERS: _("dokumen perbankan kredit perumahan"),
}

# Every claim carries the member's card and identity document.
COMMON_DOCUMENTS: tuple[tuple[Document, ...], ...] = ((Document.KPJ_CARD,), (Document.KTP,))


def one(*documents: Document) -> tuple[Document, ...]:
    """A requirement met by any one of `documents` (in the order they are offered)."""
    return documents


@dataclass(frozen=True)
class ReasonRule:
    reason: Reason
    label: str
    # Age the member must have reached on the claim date.
    min_age: int | None = None
    # The claim needs the day the member left the employer (the registry's end date of the KPJ).
    needs_leaving_date: bool = False
    # The claim needs a day the member states (departure, disability, death); claimable from it.
    needs_event_date: bool = False
    # Whole months after the leaving date before the claim opens.
    waiting_months: int = 0
    # The KPJ must be non-aktif on the claim date.
    needs_inactive: bool = False
    # Years since the person's first membership.
    min_membership_years: int = 0
    # Percent of the JHT balance paid; 100 pays all and closes the account.
    percent: int = 100
    # At most one claim of this kind per person, ever (partial withdrawals).
    once_per_person: bool = False
    # False: always verified by staff (video call or branch), whatever the balance.
    self_service: bool = True
    # The claim is made by the member's heirs.
    by_heirs: bool = False
    # Requirements besides COMMON_DOCUMENTS; each is met by any one document of its set.
    documents: tuple[tuple[Document, ...], ...] = ()

    @property
    def partial(self) -> bool:
        return self.percent < 100

    @property
    def required_documents(self) -> tuple[tuple[Document, ...], ...]:
        return COMMON_DOCUMENTS + self.documents


PARTIAL_DOCUMENTS = (
    one(Document.FAMILY_CARD),
    one(Document.BANK_BOOK),
    one(Document.WORK_STATUS_LETTER),
    one(Document.NPWP),
)

RULES: dict[Reason, ReasonRule] = {
    rule.reason: rule
    for rule in (
        ReasonRule(Reason.AGE, _("usia 56 tahun"), min_age=56),
        ReasonRule(
            Reason.RESIGNATION,
            _("mengundurkan diri"),
            needs_leaving_date=True,
            waiting_months=1,
            needs_inactive=True,
            documents=(one(Document.RESIGNATION_LETTER),),
        ),
        ReasonRule(
            Reason.DISMISSAL,
            _("pemutusan hubungan kerja (PHK)"),
            needs_leaving_date=True,
            waiting_months=1,
            needs_inactive=True,
            documents=(
                one(
                    Document.PHK_LABOUR_OFFICE,
                    Document.PHK_EMPLOYER_NOTICE,
                    Document.PHK_AGREEMENT,
                    Document.PHK_COURT_RULING,
                ),
            ),
        ),
        ReasonRule(
            Reason.CONTRACT_END,
            _("berakhirnya kontrak kerja (PKWT)"),
            needs_leaving_date=True,
            needs_inactive=True,
            documents=(one(Document.CONTRACT_END_LETTER),),
        ),
        ReasonRule(
            Reason.LEAVING_INDONESIA,
            _("meninggalkan Indonesia untuk selamanya"),
            needs_event_date=True,
            needs_inactive=True,
            documents=(one(Document.LEAVING_STATEMENT), one(Document.PASSPORT)),
        ),
        ReasonRule(
            Reason.DISABILITY,
            _("cacat total tetap"),
            needs_event_date=True,
            self_service=False,
            documents=(one(Document.DOCTOR_CERTIFICATE),),
        ),
        ReasonRule(
            Reason.DEATH,
            _("meninggal dunia (oleh ahli waris)"),
            needs_event_date=True,
            self_service=False,
            by_heirs=True,
            documents=(one(Document.DEATH_CERTIFICATE), one(Document.HEIR_CERTIFICATE, Document.HEIR_COURT_RULING)),
        ),
        ReasonRule(
            Reason.PARTIAL_10,
            _("klaim sebagian 10%"),
            min_membership_years=10,
            percent=10,
            once_per_person=True,
            documents=PARTIAL_DOCUMENTS,
        ),
        ReasonRule(
            Reason.PARTIAL_30,
            _("klaim sebagian 30% (perumahan)"),
            min_membership_years=10,
            percent=30,
            once_per_person=True,
            documents=(*PARTIAL_DOCUMENTS, one(Document.HOUSING_BANK_PAPERS)),
        ),
    )
}

PARTIAL_REASONS = frozenset(r for r, rule in RULES.items() if rule.partial)


class UnknownReason(ValidationError):
    code = "reason_unknown"

    def __init__(self, reason: str):
        known = ", ".join(RULES)
        message = _("alasan klaim '%(reason)s' tidak dikenal; pilih salah satu: %(known)s") % {
            "reason": reason,
            "known": known,
        }
        super().__init__([FieldError("reason", message)], message=message)


def rule_get(reason: str) -> ReasonRule:
    """The rule of `reason` (its stable code, e.g. "resignation"); UnknownReason otherwise."""
    try:
        return RULES[Reason(reason)]
    except ValueError:
        raise UnknownReason(reason) from None


# JP pension age (PP 45/2015 Art. 15): 56 at first, 57 from 1 January 2019, then one year more
# every three years until 65.
JP_PENSION_AGE_FIRST, JP_PENSION_AGE_LAST = 56, 65
JP_LUMP_SUM_MAX_MONTHS = 15 * 12  # fewer months of JP iuran than this: lump sum, not a pension


def jp_pension_age(on: date) -> int:
    if on.year < 2019:
        return JP_PENSION_AGE_FIRST
    return min(57 + (on.year - 2019) // 3, JP_PENSION_AGE_LAST)


def jp_lump_sum_due(*, reason: str, birth_date: date, jp_iuran_months: int, on: date) -> bool:
    """Whether a claim pays the JP account as a lump sum: an age claim by a member who has
    reached the JP pension age with some, but fewer than 15 years of, JP iuran."""
    if reason != Reason.AGE or not 0 < jp_iuran_months < JP_LUMP_SUM_MAX_MONTHS:
        return False
    return on >= add_years(birth_date, jp_pension_age(on))
