"""Messages in and out of the text channels (SMS through Kannel, WhatsApp).

Every transport maps its payload to one InboundMessage, stored before it is processed and
unique on (channel, external_id): a gateway's retry finds the stored row and gets the same
reply, never a second answer.

OutboundMessage status machine (updated by Kannel's dlr-url and WhatsApp's statuses[]):

    queued ──send──▶ sent ──report──▶ delivered
       │               └───report──▶ failed
       └──send error (after retries)──▶ failed
"""

from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"


class InboundMessage(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # E.164 (+62…) for SMS; the wa_id (digits) for WhatsApp.
    sender = models.CharField(max_length=20)
    text = models.TextField()
    external_id = models.CharField(max_length=100)
    received_at = models.DateTimeField()
    reply = models.TextField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pesan masuk"
        verbose_name_plural = "pesan masuk"
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_once_per_external_id")]
        indexes = [
            models.Index(fields=["channel", "sender", "received_at"], name="inbound_sender_time"),
            # Only messages a crash left unanswered: pending_process finds them without a scan.
            models.Index(fields=["received_at"], condition=models.Q(reply__isnull=True), name="inbound_unanswered"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Antre"
        SENT = "sent", "Terkirim ke gateway"
        DELIVERED = "delivered", "Diterima"
        FAILED = "failed", "Gagal"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=20)
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The gateway's id for the message (WhatsApp wamid); Kannel gives none, so our own id goes
    # into its dlr-url.
    external_id = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "pesan keluar"
        verbose_name_plural = "pesan keluar"
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status_time")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.id} {self.status}"
