"""The portal's forms: they parse and check the shape of what was typed; whether it matches the
registry or an account is for the services to say."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from saldo.core.csvfile import parse_date
from saldo.core.errors import ValidationError
from saldo.identity.accounts import Registration
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
        help_text=_("PIN aktivasi dikirim lewat SMS ke nomor ini."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.CharField(
        label=_("Email"),
        help_text=_("Dipakai untuk masuk; PIN aktivasi juga dikirim ke sini."),
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


class ResetRequestForm(PortalForm):
    email = forms.CharField(
        label=_("Email akun Anda"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email", "type": "email"}),
    )


class BalancePinForm(PortalForm):
    pin = PinField()
