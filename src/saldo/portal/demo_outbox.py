"""The demo's SMS transport: appends each message to a file instead of handing it to Kannel.

`make run` sets SALDO_DEMO_OUTBOX=data/outbox, so the activation and Cek Saldo PINs land in
data/outbox/sms.txt where a newcomer can read them. Never used in production (no SMS is sent)."""

from pathlib import Path
from threading import Lock

from django.conf import settings
from django.utils import timezone

from saldo.channels.models import OutboundMessage
from saldo.channels.outbox import SendResult

_lock = Lock()


def sms_file() -> Path:
    return Path(settings.DEMO_OUTBOX) / "sms.txt"


def send(message: OutboundMessage) -> SendResult:
    path = sms_file()
    line = f"{timezone.localtime().isoformat(timespec='seconds')} to {message.to}: {message.text}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, path.open("a", encoding="utf-8") as out:
            out.write(line)
    except OSError as exc:
        return SendResult(ok=False, retry=False, error=f"demo outbox not writable: {exc.strerror}")
    return SendResult(ok=True)
