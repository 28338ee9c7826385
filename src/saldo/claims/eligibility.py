"""The eligibility engine: a pure function of the member's facts, the reason and the date.

It answers eligible or not, lists every unmet condition (a stable code and a message in the
active language), and gives the earliest date the claim opens when every unmet condition is one
that time alone will meet. It reads no database and no clock: selectors.member_facts_get gathers
the facts, and the rule table (rules.py) says what each reason needs.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from saldo.claims.rules import ReasonRule, rule_get
from saldo.core.periods import add_years


class Code:
    """The stable codes of unmet conditions; channels may map them to their own texts."""

    AGE_BELOW_MINIMUM = "age_below_minimum"
    NOT_LEFT_EMPLOYER = "not_left_employer"
    WAITING_PERIOD = "waiting_period"
    MEMBERSHIP_ACTIVE = "membership_active"
    EVENT_DATE_MISSING = "event_date_missing"
    EVENT_DATE_IN_FUTURE = "event_date_in_future"
    MEMBERSHIP_TOO_SHORT = "membership_too_short"
    PARTIAL_ALREADY_TAKEN = "partial_already_taken"
    ACCOUNT_CLOSED = "account_closed"
    BALANCE_EMPTY = "balance_empty"


@dataclass(frozen=True)
class MemberFacts:
    """What the engine knows of one KPJ and its holder, as of the date asked."""

    birth_date: date
    # The start of the person's first membership (any KPJ): membership years count from it.
    first_membership_start: date
    # The day this KPJ's employer reported the member leaving (None: not reported).
    end_date: date | None
    # Status aktif on the date asked (shared/domain.md §4).
    active: bool
    # The person has a partial claim that was not rejected or cancelled.
    partial_taken: bool
    # This KPJ's JHT was paid out by a full claim.
    closed: bool
    jht_balance: int


@dataclass(frozen=True)
class Condition:
    """One unmet condition. `earliest`: the day it is met by time alone, None if time will not."""

    code: str
    message: str
    earliest: date | None = None

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "earliest": self.earliest.isoformat() if self.earliest else None,
        }


@dataclass(frozen=True)
class Eligibility:
    reason: str
    as_of: date
    conditions: tuple[Condition, ...]
    # `as_of` when eligible; the earliest future day when every unmet condition is met by time
    # alone; None when some condition needs something else to happen (a document, a report).
    eligible_from: date | None

    @property
    def eligible(self) -> bool:
        return not self.conditions

    def as_json(self) -> dict:
        return {
            "reason": self.reason,
            "as_of": self.as_of.isoformat(),
            "eligible": self.eligible,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "conditions": [c.as_json() for c in self.conditions],
        }


def eligibility_check(*, facts: MemberFacts, reason: str, as_of: date, event_date: date | None = None) -> Eligibility:
    """Whether `reason` may be claimed on `as_of`. `event_date`: the day of departure, disability
    or death for the reasons that need one. Raises UnknownReason for a reason not in the table."""
    rule = rule_get(reason)
    conditions = [
        *_age(rule, facts, as_of),
        *_leaving(rule, facts, as_of),
        *_event(rule, event_date, as_of),
        *_membership_years(rule, facts, as_of),
        *_account(rule, facts),
    ]
    if not conditions:
        eligible_from = as_of
    elif all(c.earliest for c in conditions):
        eligible_from = max(c.earliest for c in conditions)
    else:
        eligible_from = None
    return Eligibility(rule.reason.value, as_of, tuple(conditions), eligible_from)


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month if it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _day(value: date) -> str:
    return date_format(value, "d-m-Y")


def _age(rule: ReasonRule, facts: MemberFacts, as_of: date) -> list[Condition]:
    if rule.min_age is None:
        return []
    birthday = add_years(facts.birth_date, rule.min_age)
    if as_of >= birthday:
        return []
    message = _("usia %(age)d tahun baru tercapai pada %(date)s") % {"age": rule.min_age, "date": _day(birthday)}
    return [Condition(Code.AGE_BELOW_MINIMUM, message, birthday)]


def _leaving(rule: ReasonRule, facts: MemberFacts, as_of: date) -> list[Condition]:
    found = []
    end = facts.end_date
    if rule.needs_leaving_date:
        opens = months_after(end, rule.waiting_months) if end else None
        if end is None:
            message = _("pemberi kerja belum melaporkan Anda berhenti bekerja")
            found.append(Condition(Code.NOT_LEFT_EMPLOYER, message))
        elif end > as_of:
            message = _("hubungan kerja baru berakhir pada %(date)s") % {"date": _day(end)}
            found.append(Condition(Code.NOT_LEFT_EMPLOYER, message, opens))
        elif opens > as_of:
            message = _("masa tunggu %(months)d bulan setelah berhenti bekerja berakhir pada %(date)s") % {
                "months": rule.waiting_months,
                "date": _day(opens),
            }
            found.append(Condition(Code.WAITING_PERIOD, message, opens))
    if rule.needs_inactive and facts.active:
        # Ending the membership makes it non-aktif; without an end date only the employer's
        # report (or iuran stopping) will, which no date can promise.
        earliest = end if end and end > as_of else None
        found.append(Condition(Code.MEMBERSHIP_ACTIVE, _("kepesertaan masih aktif"), earliest))
    return found


def _event(rule: ReasonRule, event_date: date | None, as_of: date) -> list[Condition]:
    if not rule.needs_event_date:
        return []
    if event_date is None:
        return [
            Condition(Code.EVENT_DATE_MISSING, _("tanggal kejadian (%(reason)s) wajib diisi") % {"reason": rule.label})
        ]
    if event_date > as_of:
        message = _("tanggal kejadian %(date)s belum lewat") % {"date": _day(event_date)}
        return [Condition(Code.EVENT_DATE_IN_FUTURE, message, event_date)]
    return []


def _membership_years(rule: ReasonRule, facts: MemberFacts, as_of: date) -> list[Condition]:
    if not rule.min_membership_years:
        return []
    opens = add_years(facts.first_membership_start, rule.min_membership_years)
    if as_of >= opens:
        return []
    message = _("kepesertaan %(years)d tahun baru tercapai pada %(date)s") % {
        "years": rule.min_membership_years,
        "date": _day(opens),
    }
    return [Condition(Code.MEMBERSHIP_TOO_SHORT, message, opens)]


def _account(rule: ReasonRule, facts: MemberFacts) -> list[Condition]:
    found = []
    if rule.once_per_person and facts.partial_taken:
        found.append(Condition(Code.PARTIAL_ALREADY_TAKEN, _("klaim sebagian hanya boleh sekali dan sudah diajukan")))
    if facts.closed:
        found.append(Condition(Code.ACCOUNT_CLOSED, _("saldo JHT KPJ ini sudah dicairkan seluruhnya")))
    elif facts.jht_balance <= 0:
        found.append(Condition(Code.BALANCE_EMPTY, _("saldo JHT kosong")))
    return found
