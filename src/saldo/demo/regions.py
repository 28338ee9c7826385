"""Regencies (kabupaten/kota) the demo population lives and works in.

Codes are real Kemendagri regency codes, so a NIK's first four digits name a real place; the
kecamatan part is 01..`districts`, within the regency's real number of kecamatan. `umk_factor`
approximates the regency's minimum wage (UMK) as a multiple of its province's UMP (UMK 2024 / UMP
2024 from news reports): industrial belts such as Bekasi or Karawang pay 2.5x the West Java UMP.
`employers` is the size of the regency's fixed employer pool: big cities have more.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Regency:
    code: str  # 4 digits: province + regency
    name: str
    districts: int  # number of kecamatan
    umk_factor: float
    employers: int

    @property
    def province(self) -> int:
        return int(self.code[:2])


REGENCIES: tuple[Regency, ...] = (
    Regency("1106", "Kab. Aceh Besar", 23, 1.00, 5),
    Regency("1171", "Kota Banda Aceh", 9, 1.00, 12),
    Regency("1205", "Kab. Tapanuli Utara", 15, 1.00, 4),
    Regency("1206", "Kab. Toba", 16, 1.00, 4),
    Regency("1212", "Kab. Deli Serdang", 22, 1.27, 18),
    Regency("1275", "Kota Medan", 21, 1.34, 40),
    Regency("1307", "Kab. Agam", 16, 1.00, 4),
    Regency("1371", "Kota Padang", 11, 1.08, 16),
    Regency("1375", "Kota Bukittinggi", 3, 1.00, 5),
    Regency("1471", "Kota Pekanbaru", 15, 1.05, 20),
    Regency("1671", "Kota Palembang", 18, 1.06, 20),
    Regency("1871", "Kota Bandar Lampung", 20, 1.14, 14),
    Regency("2171", "Kota Batam", 12, 1.38, 30),
    Regency("3171", "Kota Jakarta Selatan", 10, 1.00, 60),
    Regency("3172", "Kota Jakarta Timur", 10, 1.00, 40),
    Regency("3173", "Kota Jakarta Pusat", 8, 1.00, 40),
    Regency("3174", "Kota Jakarta Barat", 8, 1.00, 35),
    Regency("3175", "Kota Jakarta Utara", 6, 1.00, 35),
    Regency("3201", "Kab. Bogor", 40, 2.23, 20),
    Regency("3204", "Kab. Bandung", 31, 1.71, 16),
    Regency("3205", "Kab. Garut", 42, 1.07, 5),
    Regency("3206", "Kab. Tasikmalaya", 39, 1.22, 4),
    Regency("3215", "Kab. Karawang", 30, 2.56, 30),
    Regency("3216", "Kab. Bekasi", 23, 2.54, 40),
    Regency("3273", "Kota Bandung", 30, 2.05, 30),
    Regency("3275", "Kota Bekasi", 12, 2.60, 20),
    Regency("3276", "Kota Depok", 11, 2.37, 12),
    Regency("3278", "Kota Tasikmalaya", 10, 1.28, 6),
    Regency("3302", "Kab. Banyumas", 27, 1.08, 8),
    Regency("3310", "Kab. Klaten", 26, 1.10, 8),
    Regency("3319", "Kab. Kudus", 9, 1.24, 10),
    Regency("3372", "Kota Surakarta", 5, 1.11, 12),
    Regency("3374", "Kota Semarang", 16, 1.59, 30),
    Regency("3402", "Kab. Bantul", 17, 1.04, 6),
    Regency("3404", "Kab. Sleman", 17, 1.09, 10),
    Regency("3471", "Kota Yogyakarta", 14, 1.17, 14),
    Regency("3507", "Kab. Malang", 33, 1.51, 10),
    Regency("3509", "Kab. Jember", 31, 1.23, 8),
    Regency("3515", "Kab. Sidoarjo", 18, 2.14, 25),
    Regency("3525", "Kab. Gresik", 18, 2.14, 20),
    Regency("3573", "Kota Malang", 5, 1.53, 14),
    Regency("3578", "Kota Surabaya", 31, 2.18, 50),
    Regency("3603", "Kab. Tangerang", 29, 1.75, 35),
    Regency("3671", "Kota Tangerang", 13, 1.75, 30),
    Regency("3672", "Kota Cilegon", 8, 1.77, 12),
    Regency("3674", "Kota Tangerang Selatan", 7, 1.71, 20),
    Regency("5103", "Kab. Badung", 6, 1.18, 20),
    Regency("5171", "Kota Denpasar", 4, 1.10, 16),
    Regency("5271", "Kota Mataram", 6, 1.05, 8),
    Regency("5371", "Kota Kupang", 6, 1.05, 8),
    Regency("6171", "Kota Pontianak", 6, 1.10, 12),
    Regency("6172", "Kota Singkawang", 5, 1.05, 5),
    Regency("6371", "Kota Banjarmasin", 5, 1.05, 12),
    Regency("6471", "Kota Balikpapan", 6, 1.05, 16),
    Regency("6472", "Kota Samarinda", 10, 1.04, 14),
    Regency("7171", "Kota Manado", 11, 1.08, 12),
    Regency("7308", "Kab. Bone", 27, 1.00, 5),
    Regency("7371", "Kota Makassar", 15, 1.06, 25),
    Regency("7372", "Kota Parepare", 4, 1.00, 5),
    Regency("9171", "Kota Jayapura", 5, 1.00, 8),
)

REGENCY_BY_CODE: dict[str, Regency] = {r.code: r for r in REGENCIES}
