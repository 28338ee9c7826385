from django.db import models
from django.db.models.functions import Length

# Lets check constraints say `kpj__length=11`.
models.CharField.register_lookup(Length)


class Employer(models.Model):
    """A registered employer (pemberi kerja), identified by its NPP."""

    npp = models.CharField("NPP", max_length=8, unique=True)
    name = models.CharField("nama", max_length=200)

    class Meta:
        verbose_name = "pemberi kerja"
        verbose_name_plural = "pemberi kerja"
        constraints = [models.CheckConstraint(condition=models.Q(npp__length=8), name="employer_npp_8")]

    def __str__(self) -> str:
        return f"{self.npp} {self.name}"


class Person(models.Model):
    """A natural person, identified by NIK. Personal fields are shown only to their owner."""

    class Sex(models.TextChoices):
        MALE = "M", "Laki-laki"
        FEMALE = "F", "Perempuan"

    nik = models.CharField("NIK", max_length=16, unique=True)
    name = models.CharField("nama", max_length=100)
    birth_date = models.DateField("tanggal lahir")
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    mother_maiden_name = models.CharField("nama ibu kandung", max_length=100)
    phone = models.CharField("ponsel", max_length=16, blank=True)
    email = models.EmailField(blank=True)
    # Recorded from a death claim or by staff: no log-in, no new binding, no claim but the heirs'.
    deceased_on = models.DateField("tanggal meninggal", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "orang"
        verbose_name_plural = "orang"
        constraints = [
            models.CheckConstraint(condition=models.Q(nik__length=16), name="person_nik_16"),
            models.CheckConstraint(condition=models.Q(sex__in=["M", "F"]), name="person_sex_known"),
        ]

    def __str__(self) -> str:
        # Never the NIK: admin lists and logs show this.
        return self.name


class Membership(models.Model):
    """One KPJ card: a person's membership through one employer."""

    kpj = models.CharField("KPJ", max_length=11, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField("tanggal mulai")
    end_date = models.DateField("tanggal berakhir", null=True, blank=True)

    class Meta:
        verbose_name = "kepesertaan"
        verbose_name_plural = "kepesertaan"
        constraints = [
            models.CheckConstraint(condition=models.Q(kpj__length=11), name="membership_kpj_11"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.kpj
