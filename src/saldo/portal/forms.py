"""The portal's forms: they parse and check the shape of what was typed; whether it matches the
registry or an account is for the services to say."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from saldo.banking.banks import BANK_CHOICES
from saldo.claims.documents import DocumentUpload
from saldo.claims.models import Verification
from saldo.claims.rules import DOCUMENT_LABELS, RULES, ReasonRule
from saldo.core.csvfile import parse_date
from saldo.core.errors import ValidationError
from saldo.identity.accounts import Registration
from saldo.identity.contacts import ContactChangeRequest, Photo
from saldo.registry.validators import validate_kpj, validate_nik

# Numbers typed digit by digit: a numeric keypad on phones (type=number would drop leading zeros).
_DIGITS = {"inputmode": "numeric", "autocomplete": "off"}


class PortalForm(forms.Form):
    """Adds the domain's FieldErrors to the form, so the page shows them next to their fields."""

    template_name = "portal/form.html"

    def add_domain_errors(self, error: ValidationError) -> None:
        for field_error in error.errors:
            self.add_error(field_error.field if field_error.field in self.fields else None, field_error.message)


class RegistrationForm(PortalForm):
    kpj = forms.CharField(
        label=_("Nomor KPJ aktif"),
        help_text=_("11 angka, tertera di kartu peserta. Tidak ada yang aktif lagi? Isi nomor KPJ terakhir."),
        max_length=11,
        widget=forms.TextInput(attrs=_DIGITS),
    )
    name = forms.CharField(
        label=_("Nama lengkap"),
        help_text=_("Sesuai e-KTP."),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = forms.CharField(
        label=_("Tanggal lahir"),
        help_text=_("Format HH-BB-TTTT, mis. 07-10-1987."),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "bday", "inputmode": "numeric", "placeholder": "HH-BB-TTTT"}),
    )
    nik = forms.CharField(
        label=_("NIK (nomor e-KTP)"),
        help_text=_("16 angka."),
        max_length=16,
        widget=forms.TextInput(attrs=_DIGITS),
    )
    mother_maiden_name = forms.CharField(
        label=_("Nama ibu kandung"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("Nomor ponsel"),
        help_text=_("Nomor yang tercatat pada data kepesertaan Anda; PIN aktivasi dikirim ke nomor itu."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.CharField(
        label=_("Email"),
        help_text=_("Email yang tercatat pada data kepesertaan Anda; dipakai untuk masuk."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )

    def clean_kpj(self) -> str:
        kpj = self.cleaned_data["kpj"].strip()
        if errors := validate_kpj(kpj):
            raise forms.ValidationError(errors[0].message)
        return kpj

    def clean_nik(self) -> str:
        nik = self.cleaned_data["nik"].strip()
        if errors := validate_nik(nik):
            raise forms.ValidationError(errors[0].message)
        return nik

    def clean_birth_date(self) -> date:
        try:
            return parse_date(self.cleaned_data["birth_date"].strip())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def registration(self) -> Registration:
        data = self.cleaned_data
        return Registration(
            kpj=data["kpj"],
            nik=data["nik"],
            birth_date=data["birth_date"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            mother_maiden_name=data["mother_maiden_name"],
        )


class ContactChangeForm(RegistrationForm):
    """The identity data of the registration form, the new contacts, and the two photos."""

    phone = forms.CharField(
        label=_("Nomor ponsel baru"),
        help_text=_("Kosongkan jika nomor ponsel tidak berganti."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.CharField(
        label=_("Email baru"),
        help_text=_("Kosongkan jika email tidak berganti."),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )
    ktp_photo = forms.FileField(
        label=_("Foto e-KTP"), help_text=_("JPG atau PNG, paling besar 6 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    selfie_photo = forms.FileField(
        label=_("Swafoto sambil memegang e-KTP"), help_text=_("Wajah dan e-KTP harus terlihat jelas."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "user"}),
    )

    def change_request(self) -> ContactChangeRequest:
        data = self.cleaned_data
        limit = settings.SALDO_ACCOUNTS["PHOTO_MAX_BYTES"]
        return ContactChangeRequest(
            kpj=data["kpj"], nik=data["nik"], birth_date=data["birth_date"], name=data["name"],
            mother_maiden_name=data["mother_maiden_name"], phone=data["phone"], email=data["email"],
            ktp_photo=Photo(data["ktp_photo"].name, data["ktp_photo"].read(limit + 1)),
            selfie_photo=Photo(data["selfie_photo"].name, data["selfie_photo"].read(limit + 1)),
        )


class PinField(forms.CharField):
    def __init__(self, **kwargs):
        attrs = {**_DIGITS, "autocomplete": "one-time-code", "maxlength": "6", "class": "pin"}
        super().__init__(
            label=_("PIN dari SMS"), min_length=6, max_length=6, widget=forms.TextInput(attrs=attrs), **kwargs
        )

    def clean(self, value):
        value = super().clean(value).strip()
        if not value.isdigit() or not value.isascii():
            raise forms.ValidationError(_("PIN terdiri dari 6 angka."))
        return value


class PasswordPairForm(PortalForm):
    password = forms.CharField(
        label=_("Kata sandi baru"),
        help_text=_("Paling sedikit 8 karakter; jangan hanya angka atau kata yang mudah ditebak."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        return data


class ActivationForm(PasswordPairForm):
    pin = PinField()

    field_order = ["pin", "password", "password_again"]


class LoginForm(PortalForm):
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email", "type": "email"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class LoginPinRequestForm(PortalForm):
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email", "type": "email"}),
    )


class LoginWithPinForm(PortalForm):
    pin = PinField()
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ResetRequestForm(PortalForm):
    email = forms.CharField(
        label=_("Email akun Anda"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )


class BalancePinForm(PortalForm):
    pin = PinField()


class ResetCodeField(forms.CharField):
    """The 8-digit code of a password reset mail, as it is shown there ("1234 5678") or without
    the space."""

    def __init__(self, **kwargs):
        attrs = {**_DIGITS, "autocomplete": "one-time-code", "maxlength": "12", "class": "code"}
        super().__init__(
            label=_("Kode dari email"), help_text=_("8 angka."), max_length=12, widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def clean(self, value):
        value = re.sub(r"[\s-]", "", super().clean(value))
        if len(value) != 8 or not value.isdigit() or not value.isascii():
            raise forms.ValidationError(_("Kode terdiri dari 8 angka."))
        return value


class PasswordResetForm(PasswordPairForm):
    email = forms.CharField(
        label=_("Email akun Anda"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email", "type": "email"}),
    )
    code = ResetCodeField()

    field_order = ["email", "code", "password", "password_again"]


# --- JHT claims (saldo.claims) -----------------------------------------------------------------


def _reason_choices() -> list[tuple[str, str]]:
    return [(reason.value, rule.label) for reason, rule in RULES.items()]


class EventDateField(forms.CharField):
    """The day of departure, disability or death, typed as HH-BB-TTTT like the birth date."""

    def __init__(self, **kwargs):
        attrs = {"inputmode": "numeric", "placeholder": "HH-BB-TTTT", "autocomplete": "off"}
        super().__init__(
            label=_("Tanggal kejadian"),
            help_text=_("Tanggal meninggalkan Indonesia, cacat total tetap atau meninggal dunia. Format HH-BB-TTTT."),
            max_length=10,
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ClaimEstimateForm(PortalForm):
    reason = forms.ChoiceField(label=_("Alasan klaim"), choices=_reason_choices)
    event_date = EventDateField(required=False)


class ClaimApplyForm(PortalForm):
    """The application for one reason: a file for each document the reason needs (and which kind,
    where any of several will do), the bank and account, and the date or heir the reason needs."""

    bank_code = forms.ChoiceField(
        label=_("Bank"),
        choices=[("", _("Pilih bank")), *BANK_CHOICES],
    )
    bank_account = forms.CharField(
        label=_("Nomor rekening bank"),
        help_text=_("Rekening atas nama Anda sendiri (untuk klaim meninggal dunia: atas nama ahli waris); bank "
                    "ditanya siapa pemiliknya. Dana klaim dibayarkan ke sini."),
        max_length=60,
        widget=forms.TextInput(attrs=_DIGITS),
    )

    def __init__(self, *args, rule: ReasonRule, staff_verified: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule.needs_event_date:
            self.fields["event_date"] = EventDateField()
        if rule.by_heirs:
            self.fields["heir_name"] = forms.CharField(label=_("Nama ahli waris"), max_length=100)
        if staff_verified:
            self.fields["verification"] = forms.ChoiceField(
                label=_("Verifikasi oleh petugas"),
                help_text=_("Klaim ini diperiksa petugas. Pilih caranya."),
                choices=[
                    (Verification.VIDEO_CALL.value, _("Panggilan video")),
                    (Verification.BRANCH_VISIT.value, _("Kunjungan ke kantor cabang")),
                ],
            )
        for index, requirement in enumerate(rule.required_documents):
            labels = [str(DOCUMENT_LABELS[kind]) for kind in requirement]
            if len(requirement) > 1:
                # Any one of several documents will do: the member says which one they upload.
                choices = list(zip([kind.value for kind in requirement], labels, strict=True))
                self.fields[f"document_{index}_kind"] = forms.ChoiceField(
                    label=_("Dokumen yang Anda punya (salah satu)"), choices=choices
                )
                label = str(_("Unggah dokumen yang dipilih di atas"))
            else:
                label = labels[0][:1].upper() + labels[0][1:]
            self.fields[f"document_{index}"] = forms.FileField(
                label=label,
                help_text=_("JPG, PNG atau PDF, paling besar 6 MB."),
                widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
            )
        # The bank account last: what the claim is about first, then where the money goes.
        bank = ["bank_code", "bank_account"]
        self.order_fields([name for name in self.fields if name not in bank] + bank)

    def documents(self) -> list[DocumentUpload]:
        """One upload per requirement, in the rule's order (so documents[i] is field document_i)."""
        uploads = []
        for index, requirement in enumerate(self.rule.required_documents):
            kind = self.cleaned_data.get(f"document_{index}_kind") or requirement[0].value
            uploads.append(DocumentUpload.from_file(kind=kind, file=self.cleaned_data[f"document_{index}"]))
        return uploads

    def add_domain_errors(self, error: ValidationError) -> None:
        # The service names an upload "documents[i]": the i-th document field here.
        for field_error in error.errors:
            match = re.fullmatch(r"documents\[(\d+)\]", field_error.field)
            field = f"document_{match.group(1)}" if match else field_error.field
            self.add_error(field if field in self.fields else None, field_error.message)


# --- account settings (identity.account_settings) ----------------------------------------------------


def _password_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(PasswordPairForm):
    current_password = _password_field(_("Kata sandi sekarang"))

    field_order = ["current_password", "password", "password_again"]

    def add_domain_errors(self, error: ValidationError) -> None:
        # The service names the new password "new_password": the first of the pair here.
        for field_error in error.errors:
            field = "password" if field_error.field == "new_password" else field_error.field
            self.add_error(field if field in self.fields else None, field_error.message)


class PhoneChangeForm(PortalForm):
    phone = forms.CharField(
        label=_("Nomor ponsel baru"),
        help_text=_("Nomor yang Anda pegang sekarang. PIN dikirim dulu ke nomor tercatat, lalu ke nomor baru ini."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    password = _password_field(_("Kata sandi"))


class EmailChangeForm(PortalForm):
    email = forms.CharField(
        label=_("Email baru"),
        help_text=_("Dipakai untuk masuk setelah diganti. PIN dikirim dulu ke nomor ponsel tercatat, lalu ke email "
                    "baru ini."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )
    password = _password_field(_("Kata sandi"))


class ContactPinForm(PortalForm):
    pin = PinField()

    def __init__(self, *args, mailed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if mailed:
            self.fields["pin"].label = _("PIN dari email")
