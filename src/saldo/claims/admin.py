"""The staff's claim queue in the Django admin. Nothing is edited by hand: every step is an admin
action calling one service (services.py) as the logged-in staff member, which appends the event
to the claim's trail. Documents are downloaded through a permission-checked view that records
the disclosure; their files are never served from a public URL.

Staff are offered the actions of their roles (saldo.staff groups: a verifier starts and records
verification, an approver approves, a treasurer pays, either of the first two rejects); the
services check the roles and the four-eyes rule again, and a refusal is shown as a message."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saldo.audit.services import disclosure_record
from saldo.claims.documents import document_path
from saldo.claims.models import Claim, ClaimDocument, ClaimEvent
from saldo.claims.services import (
    claim_approve,
    claim_pay,
    claim_reject,
    claim_verification_record,
    claim_verification_start,
    staff_actor,
)
from saldo.core.errors import SaldoError
from saldo.staff.roles import Role
from saldo.staff.services import staff_has_role


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Whoever may see the claim sees its documents and trail (read-only).
        return request.user.has_perm("claims.view_claim") or request.user.has_perm("claims.change_claim")


class ClaimDocumentInline(ReadOnlyInline):
    model = ClaimDocument
    fields = ("kind", "original_name", "content_type", "size", "uploaded_at", "download")
    readonly_fields = fields

    @admin.display(description="berkas")
    def download(self, document: ClaimDocument) -> str:
        url = reverse("admin:claims_claim_document", args=[document.claim_id, document.id])
        return format_html('<a href="{}">{}</a>', url, _("unduh"))


class ClaimEventInline(ReadOnlyInline):
    model = ClaimEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    ordering = ("at", "id")


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "number", "kpj", "reason", "status", "verification", "verified", "submitted_at", "estimated_gross", "paid_on",
    )  # fmt: skip
    list_filter = ("status", "reason", "verification", "verified")
    search_fields = ("number", "membership__kpj")
    ordering = ("submitted_at", "id")  # the queue: oldest first
    list_select_related = ("membership",)
    inlines = (ClaimDocumentInline, ClaimEventInline)
    actions = ("start_verification", "record_verification", "approve", "reject", "pay")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # members apply through their channels

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="KPJ", ordering="membership__kpj")
    def kpj(self, claim: Claim) -> str:
        return claim.membership.kpj

    # --- who is offered which action: the change permission and the step's role ------------

    def _may(self, request: HttpRequest, *roles: Role) -> bool:
        return self.has_change_permission(request) and any(staff_has_role(request.user, r) for r in roles)

    def has_verify_permission(self, request: HttpRequest) -> bool:
        return self._may(request, Role.VERIFIER)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self._may(request, Role.APPROVER)

    def has_reject_permission(self, request: HttpRequest) -> bool:
        return self._may(request, Role.VERIFIER, Role.APPROVER)

    def has_pay_permission(self, request: HttpRequest) -> bool:
        return self._may(request, Role.TREASURER)

    # --- actions: one service call per selected claim ---------------------------------------

    @admin.action(description=gettext_lazy("Mulai verifikasi"), permissions=["verify"])
    def start_verification(self, request, queryset):
        self._each(request, queryset, lambda c, actor, now: claim_verification_start(
            number=c.number, actor=actor, now=now
        ))  # fmt: skip

    @admin.action(
        description=gettext_lazy("Catat verifikasi staf (panggilan video / kunjungan)"), permissions=["verify"]
    )
    def record_verification(self, request, queryset):
        return self._with_note(
            request, queryset, "record_verification", _("Hasil verifikasi (panggilan video atau kunjungan)"),
            lambda c, actor, now, note: claim_verification_record(number=c.number, actor=actor, now=now, note=note),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Setujui"), permissions=["approve"])
    def approve(self, request, queryset):
        self._each(request, queryset, lambda c, actor, now: claim_approve(number=c.number, actor=actor, now=now))

    @admin.action(description=gettext_lazy("Tolak (dengan alasan)"), permissions=["reject"])
    def reject(self, request, queryset):
        return self._with_note(
            request, queryset, "reject", _("Alasan penolakan (dibaca peserta)"),
            lambda c, actor, now, note: claim_reject(number=c.number, actor=actor, reason=note, now=now),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Bayar (posting ke buku besar)"), permissions=["pay"])
    def pay(self, request, queryset):
        self._each(request, queryset, lambda c, actor, now: claim_pay(number=c.number, actor=actor, now=now))

    def _each(self, request: HttpRequest, queryset, step: Callable, *args) -> None:
        actor, now = staff_actor(request.user), timezone.now()
        done = []
        for claim in queryset.order_by("id"):
            try:
                step(claim, actor, now, *args)
                done.append(claim.number)
            except SaldoError as exc:
                self.message_user(request, f"{claim.number}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("Berhasil: %(claims)s") % {"claims": ", ".join(done)}, messages.SUCCESS)

    def _with_note(self, request: HttpRequest, queryset, action: str, label: str, step: Callable):
        """Ask for a text (the rejection reason, the verification result) on an intermediate page."""
        form = NoteForm(request.POST if "apply" in request.POST else None)
        form.fields["note"].label = label
        if form.is_bound and form.is_valid():
            self._each(request, queryset, step, form.cleaned_data["note"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": label,
            "subtitle": _("Klaim yang dipilih:"),
            "confirm": _("Lanjutkan"),
            "form": form,
            "claims": queryset.order_by("id"),
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/claims/claim/action_note.html", context)

    # --- documents --------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.document_view)
        return [path("<int:claim_id>/documents/<int:document_id>/", view, name="claims_claim_document"),
                *super().get_urls()]  # fmt: skip

    def document_view(self, request: HttpRequest, claim_id: int, document_id: int) -> HttpResponse:
        document = ClaimDocument.objects.select_related("claim__membership").filter(
            id=document_id, claim_id=claim_id
        ).first()  # fmt: skip
        if document is None:
            raise Http404
        if not self.has_view_permission(request, document.claim):
            raise PermissionDenied
        disclosure_record(
            channel="admin", recipient=request.user.get_username(), kpj=document.claim.membership.kpj,
            what="claim_document", at=timezone.now(),
        )  # fmt: skip
        extension = document_path(document.path).suffix
        response = FileResponse(
            document_path(document.path).open("rb"),
            as_attachment=True,
            filename=f"{document.claim.number}-{document.kind}{extension}",
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
