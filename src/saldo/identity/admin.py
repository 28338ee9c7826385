"""The registry clerks' queues in the Django admin: contact changes (the member's data beside the
e-KTP photo and the selfie; approve or reject) and the accesses frozen by a "not me" report (open
again after checking with the member). Nothing is edited by hand: every step is an action calling
one service as the logged-in clerk; the services check the role and the four-eyes rule. Photos
are shown through a permission-checked view that records each disclosure."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saldo.audit.services import disclosure_record
from saldo.core.errors import SaldoError
from saldo.identity.contacts import contact_change_approve, contact_change_photo, contact_change_reject
from saldo.identity.freezes import freeze_clear
from saldo.identity.models import AccessFreeze, ContactChange
from saldo.identity.services import death_record_by_staff
from saldo.registry.models import Person
from saldo.staff.roles import Role
from saldo.staff.services import staff_actor, staff_has_role


class DeathForm(forms.Form):
    died_on = forms.DateField(label=gettext_lazy("Tanggal meninggal (sesuai akta kematian)"),
                              input_formats=["%d-%m-%Y", "%Y-%m-%d"], help_text="DD-MM-YYYY")


class ReasonForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Alasan penolakan (dibaca peserta)"),
                           widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


class ClerkAdmin(admin.ModelAdmin):
    """A registry clerks' list: rows read-only (every field, unless `readonly_fields` names the
    shown ones), none added or deleted here, no Save; the clerks' actions each run one service per
    selected row."""

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields or [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
                 "show_delete": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def has_clerk_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request) and staff_has_role(request.user, Role.REGISTRY_CLERK)

    def _each(self, request: HttpRequest, queryset, step: Callable, *args) -> None:
        actor, now = staff_actor(request.user), timezone.now()
        done = []
        for row in queryset.order_by("id"):
            try:
                step(row, actor, now, *args)
                done.append(str(row.id))
            except SaldoError as exc:
                self.message_user(request, f"#{row.id}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("Berhasil: %(rows)s") % {"rows": ", ".join(done)}, messages.SUCCESS)

    def _ask(self, request: HttpRequest, queryset, form: forms.Form, *, action: str, title: str) -> TemplateResponse:
        """The intermediate page that asks what an action needs (a reason, a date) for the selected rows."""
        context = {
            **self.admin_site.each_context(request), "title": title, "form": form, "rows": queryset.order_by("id"),
            "action": action, "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "confirm": _("Lanjutkan"),
        }
        return TemplateResponse(request, "admin/identity/action_reason.html", context)


@admin.register(ContactChange)
class ContactChangeAdmin(ClerkAdmin):
    list_display = ("id", "person", "status", "channel", "entered_by", "requested_at", "reviewed_by", "effective_at")
    list_filter = ("status", "channel")
    search_fields = ("person__nik", "person__memberships__kpj")
    ordering = ("requested_at", "id")  # the queue: oldest first
    list_select_related = ("person",)
    actions = ("approve", "reject")
    fields = ("member", "photos", "status", "requested_at", "channel", "entered_by", "reviewed_by", "reviewed_at",
              "effective_at", "decided_by", "decided_at", "note")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("data peserta dan kontak"))
    def member(self, change: ContactChange) -> str:
        person = change.person
        rows = [
            (_("Nama"), person.name), (_("NIK"), person.nik), (_("Tanggal lahir"), f"{person.birth_date:%d-%m-%Y}"),
            (_("Nama ibu kandung"), person.mother_maiden_name),
            (_("KPJ"), ", ".join(person.memberships.order_by("kpj").values_list("kpj", flat=True))),
            (_("Ponsel tercatat → baru"), f"{change.old_phone or '-'} → {change.phone or _('tetap')}"),
            (_("Email tercatat → baru"), f"{change.old_email or '-'} → {change.email or _('tetap')}"),
        ]
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))

    @admin.display(description=gettext_lazy("foto e-KTP dan swafoto"))
    def photos(self, change: ContactChange) -> str:
        urls = [reverse("admin:identity_contactchange_photo", args=[change.id, which]) for which in ("ktp", "selfie")]
        return format_html_join(" ", '<img src="{}" alt="{}" style="max-width:360px;max-height:360px">',
                                [(urls[0], _("foto e-KTP")), (urls[1], _("swafoto"))])

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self.has_clerk_permission(request)

    def has_reject_permission(self, request: HttpRequest) -> bool:
        return self.has_clerk_permission(request)

    @admin.action(description=gettext_lazy("Setujui (berlaku setelah masa tenggang)"), permissions=["approve"])
    def approve(self, request, queryset):
        self._each(request, queryset, lambda c, actor, now: contact_change_approve(change_id=c.id, actor=actor,
                                                                                    now=now))

    @admin.action(description=gettext_lazy("Tolak (dengan alasan)"), permissions=["reject"])
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._each(request, queryset, lambda c, actor, now, note: contact_change_reject(
                change_id=c.id, actor=actor, reason=note, now=now), form.cleaned_data["note"])
            return None
        return self._ask(request, queryset, form, action="reject", title=_("Tolak perubahan kontak"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.photo_view)
        return [path("<int:change_id>/photo/<str:which>/", view, name="identity_contactchange_photo"),
                *super().get_urls()]

    def photo_view(self, request: HttpRequest, change_id: int, which: str) -> HttpResponse:
        change = ContactChange.objects.select_related("person").filter(id=change_id).first()
        if change is None or which not in ("ktp", "selfie"):
            raise Http404
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        kpj = change.person.memberships.order_by("-start_date").values_list("kpj", flat=True).first() or ""
        disclosure_record(channel="admin", recipient=request.user.get_username(), kpj=kpj,
                          what=f"identity_photo_{which}", at=timezone.now())
        file = contact_change_photo(change=change, which=which)
        content_type = "image/png" if file.suffix == ".png" else "image/jpeg"
        response = FileResponse(file.open("rb"), content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(AccessFreeze)
class AccessFreezeAdmin(ClerkAdmin):
    list_display = ("id", "person", "frozen_at", "reason", "cleared_at", "cleared_by")
    list_filter = (("cleared_at", admin.EmptyFieldListFilter),)
    search_fields = ("person__nik", "person__memberships__kpj")
    ordering = ("-frozen_at", "id")
    actions = ("clear",)

    def has_clear_permission(self, request: HttpRequest) -> bool:
        return self.has_clerk_permission(request)

    @admin.action(description=gettext_lazy("Buka kembali akses (sudah diperiksa bersama peserta)"),
                  permissions=["clear"])
    def clear(self, request, queryset):
        self._each(request, queryset, lambda f, actor, now: freeze_clear(freeze_id=f.id, actor=actor, now=now))


@admin.register(Person)
class PersonAdmin(ClerkAdmin):
    """The registry's people, read-only; a registry clerk records a death from its certificate."""

    list_display = ("name", "birth_date", "deceased_on")
    search_fields = ("nik", "memberships__kpj")
    actions = ("record_death",)

    def has_death_permission(self, request: HttpRequest) -> bool:
        return staff_has_role(request.user, Role.REGISTRY_CLERK)

    @admin.action(description=gettext_lazy("Catat meninggal dunia (akta kematian)"), permissions=["death"])
    def record_death(self, request, queryset):
        form = DeathForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._each(request, queryset, lambda p, actor, now, died_on: death_record_by_staff(
                person_id=p.id, died_on=died_on, actor=actor, now=now), form.cleaned_data["died_on"])
            return None
        return self._ask(request, queryset, form, action="record_death", title=_("Catat meninggal dunia"))
