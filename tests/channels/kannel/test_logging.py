"""Kannel logs no message text: a DAFTAR carries the member's NIK and Saldo's SMS carry PINs.

What Kannel 1.4.5 writes where (its user guide, chapter "Configuration"; its sources gw/smsbox.c,
gw/bb_alog.c): log levels are 0 debug, 1 info, 2 warning, 3 error, 4 panic, and a log-file with no
log-level gets level 0. At debug, bearerbox dumps every message and SMPP PDU; from info up it
writes no text. smsbox writes the text at info, for every message from a member ("Starting to
service <text> from <number> to <number>") and every message sent through sendsms ("sendsms
sender:<...> to:<number> msg:<text>"); its warnings and errors carry none. smsbox's access log
writes every text and has no format option; bearerbox's access log follows access-log-format,
whose default ends with the text (%b). So: bearerbox and its SMSC at info or above, smsbox at
warning or above, no smsbox access log, and a bearerbox access-log-format without the escapes
that write the text or its words.

The rules are checked on deploy/kannel/kannel.conf as shipped, then proven with the real
bearerbox and smsbox running that file's logging: a DAFTAR and a PIN go through, and no log file
holds the NIK or the PIN. A second run with smsbox at info and a format with %b shows the same
search does find them when they are there."""

import os
import re
import time
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from saldo.channels.models import Channel, InboundMessage, OutboundMessage
from saldo.channels.outbox import outbound_queue
from tests.channels.kannel.conftest import SECRET
from tests.channels.kannel.harness import (
    DEADLINE_SECONDS,
    DEPLOY_CONF,
    SENDSMS_PASSWORD,
    Kannel,
    kannel_missing,
    parse_conf,
)
from tests.factories import make_member

# The live server must bind 127.0.0.1, not "localhost" (set before pytest-django starts it).
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
if os.environ.get("SALDO_REQUIRE_KANNEL") == "1" and kannel_missing():
    raise RuntimeError(f"SALDO_REQUIRE_KANNEL=1 but {kannel_missing()}")
needs_kannel = pytest.mark.skipif(bool(kannel_missing()), reason=kannel_missing() or "Kannel is installed")

# The lowest level at which each group's log holds no message text.
QUIET_LEVEL = {"core": 1, "smsc": 1, "smsbox": 2}
# access-log-format escapes that write the text or words of it (%N: a delivery report's text).
TEXT_ESCAPES = set("abkrsSN")

HANDSET = "081234567890"
BIRTH = date(1990, 8, 17)
PIN = "482913"
QUEUED_AT = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


# --- the shipped file -------------------------------------------------------------------------


def shipped_groups() -> list[tuple[str, dict[str, str]]]:
    """(group, its settings) for every group of deploy/kannel/kannel.conf; commented lines left out."""
    return [(lines[0][1], {k: v for k, v in lines if not k.startswith("#")}) for lines in parse_conf(
        DEPLOY_CONF.read_text())]


def test_every_group_that_logs_does_so_at_a_level_without_message_text():
    logging_groups = []
    for name, values in shipped_groups():
        if "log-file" in values or "log-level" in values:
            logging_groups.append(name)
            assert "log-level" in values, f"{name}: a log-file without log-level logs at debug"
            assert int(values["log-level"]) >= QUIET_LEVEL[name], f"{name}: log-level {values['log-level']}"
        syslog = values.get("syslog-level", "none")
        assert syslog == "none" or int(syslog) >= QUIET_LEVEL[name], f"{name}: syslog-level {syslog}"
    assert logging_groups == ["core", "smsbox"]


def test_only_bearerbox_keeps_an_access_log_and_its_format_names_no_text():
    groups = dict(shipped_groups())
    assert [name for name, values in shipped_groups() if "access-log" in values] == ["core"]
    escapes = set(re.findall(r"%(.)", groups["core"]["access-log-format"]))
    assert escapes and not escapes & TEXT_ESCAPES, escapes & TEXT_ESCAPES
    assert "L" in escapes  # the text's length, nothing of the text


def test_no_access_log_is_kept_commented_out_in_smsbox():
    # smsbox's access log cannot leave the text out: not even as a line waiting to be uncommented.
    (smsbox,) = [lines for lines in parse_conf(DEPLOY_CONF.read_text()) if lines[0][1] == "smsbox"]
    assert [k for k, _v in smsbox if k.lstrip("#") == "access-log"] == []


# --- the real Kannel ----------------------------------------------------------------------------


@pytest.fixture
def member():
    return make_member(kpj="68516716147", birth_date=BIRTH, sex="F", phone="+6281234567890")


def gateway(live_server, tmp_path, settings, **options) -> Kannel:
    kannel = Kannel(tmp_path, app_url=live_server.url, secret=SECRET, shipped_logging=True, **options)
    settings.SALDO_KANNEL = {
        **settings.SALDO_KANNEL,
        "SENDSMS_URL": kannel.sendsms_url,
        "PASSWORD": SENDSMS_PASSWORD,
        "PUBLIC_URL": live_server.url,
    }
    return kannel


def daftar_and_pin(kannel: Kannel, member) -> dict[str, str]:
    """A DAFTAR from the handset and a PIN to it, each through the whole gateway; the log files
    Kannel wrote meanwhile (name -> text), once the boxes have stopped."""
    nik = member.person.nik
    try:
        kannel.start()
        kannel.mo(HANDSET, f"DAFTAR SALDO#{nik}#{BIRTH:%d-%m-%Y}#{member.kpj}")
        assert InboundMessage.objects.filter(text__contains=nik).exists()  # the NIK went through Kannel
        with kannel.handset() as handset:
            with transaction.atomic():
                pin = outbound_queue(channel=Channel.SMS, to="+6281234567890", now=QUEUED_AT,
                                     text=f"PIN Saldo untuk daftarkan nomor: {PIN}. JANGAN berikan kepada siapa pun.")
            assert PIN in handset.wait_for(1)[0].text
            assert delivered_eventually(pin)  # the delivery report came back through smsbox too
    finally:
        kannel.stop()
    return {path.name: path.read_text(errors="replace") for path in kannel.workdir.iterdir()
            if path.suffix in (".log", ".out") and not path.name.startswith("fakesmsc")}


def delivered_eventually(message: OutboundMessage) -> bool:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == OutboundMessage.Status.DELIVERED:
            return True
        time.sleep(0.02)
    return False


def holding(logs: dict[str, str], *secrets: str) -> list[str]:
    return sorted(name for name, text in logs.items() if any(s in text for s in secrets))


@needs_kannel
def test_with_the_shipped_logging_no_log_holds_the_nik_or_the_pin(live_server, tmp_path, settings, member):
    logs = daftar_and_pin(gateway(live_server, tmp_path, settings), member)

    assert holding(logs, member.person.nik, PIN, "DAFTAR") == []
    assert sorted(logs) == ["bearerbox.log", "bearerbox.out", "core-access.log", "smsbox.log", "smsbox.out"]
    # Still a record of every message: received, sent, its report; the text's length only.
    access = logs["core-access.log"]
    assert re.search(r"Receive SMS \[SMSC:fake\] .*\[from:\+?\d+\] \[to:2757\] .*\[msg:\d+\]", access), access
    assert re.search(r"Sent SMS \[SMSC:fake\] .*\[to:\+6281234567890\] .*\[msg:\d+\]", access), access
    assert "Unknown escape code" not in logs["bearerbox.log"]  # every escape of the format is 1.4.5's


@needs_kannel
def test_the_same_search_finds_the_text_at_smsbox_info_level_and_with_b_in_the_format(
    live_server, tmp_path, settings, member
):
    louder = {"smsbox": {"log-level": 1}, "core": {"access-log-format": '"%l [from:%p] [msg:%L:%b]"'}}
    logs = daftar_and_pin(gateway(live_server, tmp_path, settings, overrides=louder), member)

    assert holding(logs, member.person.nik) == ["core-access.log", "smsbox.log"]
    assert holding(logs, PIN) == ["core-access.log", "smsbox.log"]
