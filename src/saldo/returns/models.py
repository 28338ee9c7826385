from django.db import models


class DeclaredRate(models.Model):
    """The yearly rate of returns (hasil pengembangan) the fund declared, in percent per year."""

    year = models.PositiveSmallIntegerField("tahun", unique=True)
    rate_percent = models.DecimalField("tingkat (%)", max_digits=7, decimal_places=4)
    note = models.CharField("keterangan", max_length=200, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tingkat hasil pengembangan"
        verbose_name_plural = "tingkat hasil pengembangan"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_percent__gte=0, rate_percent__lt=100), name="declared_rate_sane"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.rate_percent}%"
