"""The statement as a PDF (Unduh PDF): the same Statement the page shows, on A4.

Core PDF fonts only (no font files to ship or fetch); they cover Latin-1, which holds every
name the registry accepts, and anything else is replaced rather than failing the download."""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from saldo.core.money import format_rupiah
from saldo.statements.selectors import Statement

_HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 240, 234))
_GAP = FontFace(emphasis="BOLD", color=(160, 0, 20))


def statement_pdf(*, statement: Statement, name: str, made_at: datetime) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(_("Laporan saldo KPJ %(kpj)s") % {"kpj": statement.kpj}))
    pdf.set_author("Saldo")
    pdf.set_creation_date(made_at)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _heading(pdf, statement, name=name)
    for programme in ("JHT", "JP"):
        _years(pdf, statement, programme)
    _months(pdf, statement)
    return bytes(pdf.output())


def _heading(pdf: FPDF, statement: Statement, *, name: str) -> None:
    pdf.set_font("helvetica", style="B", size=14)
    pdf.cell(text=_latin1(_("Laporan Saldo JHT dan JP")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    end = date_format(statement.end_date, "j F Y") if statement.end_date else "-"
    lines = [
        (_("Nama"), name),
        (_("Nomor KPJ"), statement.kpj),
        (_("Pemberi kerja"), f"{statement.employer_name} (NPP {statement.employer_npp})"),
        (_("Kepesertaan"), f"{date_format(statement.start_date, 'j F Y')} - {end}"),
        (_("Status"), _status(statement.status)),
        (_("Per tanggal"), date_format(statement.as_of, "j F Y")),
        (_("Saldo JHT"), format_rupiah(statement.programmes["JHT"].balance)),
        (_("Saldo JP"), format_rupiah(statement.programmes["JP"].balance)),
    ]
    pdf.ln(2)
    for label, value in lines:
        pdf.cell(w=40, text=_latin1(label))
        pdf.cell(text=_latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _years(pdf: FPDF, statement: Statement, programme: str) -> None:
    years = statement.programmes[programme].years
    if not years:
        return
    _section(pdf, _("Mutasi tahunan %(programme)s") % {"programme": programme})
    headings = [_("Tahun"), _("Saldo awal"), _("Iuran pemberi kerja"), _("Iuran pekerja"),
                _("Hasil pengembangan"), _("Koreksi/pindah"), _("Penarikan"), _("Saldo akhir")]
    with pdf.table(col_widths=(12, 25, 25, 25, 25, 22, 22, 25), text_align=("LEFT",) + ("RIGHT",) * 7,
                   headings_style=_HEADINGS, line_height=5) as table:
        table.row([_latin1(h) for h in headings])
        for y in years:
            money = [y.opening, y.employer, y.worker, y.returns, y.transfers + y.reversals, y.withdrawals, y.closing]
            table.row([str(y.year), *(format_rupiah(m) for m in money)])
            if y.claim_returns:
                # Under the returns column, labelled across the three before it.
                row = table.row([""])
                row.cell(_latin1(y.claim_returns_label), colspan=3, align="LEFT")
                row.cell(format_rupiah(y.claim_returns))
                row.cell("", colspan=3)
    pdf.ln(4)


def _months(pdf: FPDF, statement: Statement) -> None:
    _section(pdf, _("Iuran per bulan"))
    gaps = sum(1 for m in statement.months if m.gap)
    pdf.set_font("helvetica", size=9)
    pdf.multi_cell(w=0, text=_latin1(_("Bulan tanpa iuran: %(gaps)d.") % {"gaps": gaps}), new_x="LMARGIN",
                   new_y="NEXT")
    headings = [_("Bulan"), _("Upah"), _("JHT pemberi kerja"), _("JHT pekerja"), _("JP"), _("Keterangan")]
    with pdf.table(col_widths=(28, 30, 30, 28, 28, 38), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT",
                   "LEFT"), headings_style=_HEADINGS, line_height=5) as table:
        table.row([_latin1(h) for h in headings])
        for m in statement.months:
            if m.gap:
                row = table.row([_latin1(date_format(m.period, "F Y")), "-", "-", "-", "-"])
                row.cell(_latin1(_("Tidak ada iuran")), style=_GAP)
            else:
                table.row([_latin1(date_format(m.period, "F Y")), format_rupiah(m.wage or 0), format_rupiah(m.employer),
                           format_rupiah(m.worker), format_rupiah(m.jp_employer + m.jp_worker), ""])


def _section(pdf: FPDF, title: str) -> None:
    pdf.set_font("helvetica", style="B", size=11)
    pdf.cell(text=_latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("helvetica", size=8)


def _status(status: str) -> str:
    return _("aktif") if status == "aktif" else _("non-aktif")


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
