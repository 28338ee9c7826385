"""What the WhatsApp bot keeps beside the neutral message store (channels.models).

InboundMessage and OutboundMessage hold text; a WhatsApp conversation also has taps on buttons
and list rows (their ids), interactive messages we send (lists, buttons), the wamid Meta gives each
message we send (statuses refer to it), and where a registration in several steps stands.
"""

from django.db import models

from saldo.channels.models import InboundMessage, OutboundMessage


class InboundDetail(models.Model):
    """What the neutral InboundMessage does not say: the WhatsApp message type, and for a tap the
    id of the button or list row (the InboundMessage's text is its title)."""

    message = models.OneToOneField(
        InboundMessage, primary_key=True, on_delete=models.CASCADE, related_name="whatsapp_detail"
    )
    kind = models.CharField(max_length=20)  # text, interactive, button, image, audio…
    choice = models.CharField(max_length=256, null=True, blank=True)  # a reply id is at most 256 characters

    def __str__(self) -> str:
        return f"{self.kind} {self.choice or ''}".strip()


class GraphMessage(models.Model):
    """How one outbox message goes to the Graph API: the interactive part we asked for, and what
    Meta knows it by once sent."""

    class SentAs(models.TextChoices):
        TEXT = "text", "teks"
        INTERACTIVE = "interactive", "interaktif"
        IMAGE = "image", "gambar"
        TEMPLATE = "template", "template"

    message = models.OneToOneField(
        OutboundMessage, primary_key=True, on_delete=models.CASCADE, related_name="whatsapp_graph"
    )
    # The `interactive` object of a list or buttons message; null for plain text. The
    # OutboundMessage's text is its body, what a template carries outside the 24-hour window.
    interactive = models.JSONField(null=True, blank=True)
    # A signed digital card (cards.services.card_issue), sent as the picture of its QR code.
    card_payload = models.TextField(blank=True)
    # Send as the template even inside the window (Meta refused the free-form message: 131047).
    template_only = models.BooleanField(default=False)
    sent_as = models.CharField(max_length=12, choices=SentAs.choices, blank=True)
    # Statuses name the message by its wamid; unique, so each one finds its row by the index.
    wamid = models.CharField(max_length=100, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"graph {self.message_id} {self.sent_as or 'unsent'}"


class Conversation(models.Model):
    """A registration in progress with one number; no row means the member is at the menu.

    `data` holds what the member typed so far (NIK, birth date, KPJ): the row is deleted when the
    registration ends, and one idle longer than CONVERSATION_MINUTES counts as abandoned."""

    class Step(models.TextChoices):
        NIK = "nik", "NIK"
        NAME = "name", "nama"
        BIRTH_DATE = "birth_date", "tanggal lahir"
        KPJ = "kpj", "KPJ"
        MOTHER = "mother", "nama ibu kandung"
        PIN = "pin", "PIN"

    phone = models.CharField(max_length=20, unique=True)  # InboundMessage.sender
    step = models.CharField(max_length=12, choices=Step.choices)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "percakapan WhatsApp"
        verbose_name_plural = "percakapan WhatsApp"

    def __str__(self) -> str:
        # Never the phone number: admin lists and logs show this.
        return f"conversation {self.id} at {self.step}"
