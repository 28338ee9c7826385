"""Outbound SMS through Kannel's sendsms CGI, and what its delivery reports mean.

sendsms answers 202 with no message id ("0: Accepted for delivery", or "3: Queued for later
delivery" when no SMSC is connected), so the dlr-url carries our own OutboundMessage id; Kannel
fills in %d, the report type, when it fetches it.
"""

import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse

from saldo.channels.models import OutboundMessage
from saldo.channels.outbox import SendResult

Status = OutboundMessage.Status

# Kannel's report types (%d) and the status each one means for us. Buffered (4): the SMSC holds
# the message for a handset that is off, which is still "sent".
DLR_DELIVERED, DLR_FAILED, DLR_BUFFERED, DLR_SMSC_ACK, DLR_SMSC_REJECT = 1, 2, 4, 8, 16
DLR_STATUS = {
    DLR_DELIVERED: Status.DELIVERED,
    DLR_FAILED: Status.FAILED,
    DLR_BUFFERED: Status.SENT,
    DLR_SMSC_ACK: Status.SENT,
    DLR_SMSC_REJECT: Status.FAILED,
}
DLR_MASK = sum(DLR_STATUS)  # 31: every report


def dlr_url(*, message_id: int) -> str:
    """Where Kannel reports on one message; %d stays literal for Kannel to fill in.

    The secret rides as the URL's password: Kannel sends it as HTTP Basic auth, which keeps it
    out of access logs (a `secret=` query parameter is accepted too).
    """
    config = settings.SALDO_KANNEL
    base = urlsplit(config["PUBLIC_URL"])
    netloc = f"kannel:{config['SECRET']}@{base.netloc}"
    path = base.path.rstrip("/") + reverse("kannel-dlr")
    return urlunsplit((base.scheme, netloc, path, f"id={message_id}&type=%d", ""))


def sendsms_url(message: OutboundMessage) -> str:
    config = settings.SALDO_KANNEL
    query = urlencode(
        {
            "username": config["USERNAME"],
            "password": config["PASSWORD"],
            "from": config["SHORTCODE"],
            "to": message.to,
            "text": message.text,
            "charset": "UTF-8",
            "dlr-mask": DLR_MASK,
            "dlr-url": dlr_url(message_id=message.id),
        }
    )
    return f"{config['SENDSMS_URL']}?{query}"


def send(message: OutboundMessage) -> SendResult:
    """One attempt. The URL holds the password and the number, so no error quotes it."""
    try:
        with urllib.request.urlopen(sendsms_url(message), timeout=settings.SALDO_KANNEL["SEND_TIMEOUT"]) as answer:
            answer.read(200)
    except urllib.error.HTTPError as exc:
        # 4xx: Kannel refuses the request as it stands (bad credentials, bad number); 503 and
        # other 5xx are its "try again later".
        body = exc.read(200).decode("utf-8", "replace").strip()
        return SendResult(ok=False, retry=exc.code >= 500, error=f"sendsms HTTP {exc.code}: {body}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return SendResult(ok=False, retry=True, error=f"sendsms unreachable: {reason}")
    return SendResult(ok=True)
