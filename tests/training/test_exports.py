"""Exports: CSV safe to open in a spreadsheet, and a PDF report that opens and carries the figures."""

import io
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader

from db.models import Department
from db.queries.dashboard import MatrixCell, ModuleRate, TrendPoint
from training.exports import csv_bytes, department_report_pdf, matrix_csv
from training.oversight import DepartmentDashboard


@pytest.mark.parametrize("cell, written", [
    ('=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tTab", "'\tTab"), ("\rCR", "\"'\rCR\""),
    ("Ordinary name", "Ordinary name"), ("José Ñúñez", "José Ñúñez"), (12.5, "12.5"),
])
def test_csv_cells_that_start_like_a_formula_get_a_leading_quote(cell, written):
    assert csv_bytes(["h"], [[cell]]).decode("utf-8-sig").split("\r\n")[1] == written


def test_csv_is_utf8_with_a_byte_order_mark():
    assert csv_bytes(["Name"], [["José"]]).startswith(b"\xef\xbb\xbfName\r\nJos\xc3\xa9")


def board(name="Montpelier Police Department"):
    cell = MatrixCell(1, "=Evil Officer", "B-1", "m1", "overdue", None, 40.0, 1, date(2026, 1, 31), "2025")
    done = MatrixCell(2, "Ana Łukasz", "B-2", "m1", "passed", datetime(2026, 2, 3, tzinfo=timezone.utc), 90.0, 1,
                      date(2026, 1, 31), "2025")
    return DepartmentDashboard(Department(id=1, name=name, code="MPD"), date(2026, 3, 1),
                               (("m1", "Fair and impartial policing"),), [cell, done],
                               [ModuleRate("m1", 2, 1, 1, 0, assigned=2)], [cell], [TrendPoint("2026-02-01", 1, 1)])


def test_matrix_csv_neutralises_officer_names():
    assert "'=Evil Officer,B-1,Fair and impartial policing,overdue" in matrix_csv(board()).decode("utf-8-sig")


def test_pdf_report_opens_and_names_the_department_and_its_figures():
    pages = PdfReader(io.BytesIO(department_report_pdf(board()))).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    for expected in ("Montpelier Police Department", "2 active officers", "overall completion 50%",
                     "50% (1/2, 1 overdue)", "=Evil Officer B-1 Fair and impartial policing 2026-01-31 2025",
                     "=Evil Officer (B-1) Overdue", "Ana Łukasz (B-2) Passed"):
        assert expected in text


LONG = ("Custody, detainers and federal access to people held in Vermont police stations, with the "
        "long-standing limits the 2024 update kept")


def big_board(officers: int = 45) -> DepartmentDashboard:
    """A department whose module names are long and whose figures are wide: what used to run off the page."""
    modules = tuple((f"m{i}", f"{i}. {LONG} (part {i})") for i in range(1, 10))
    matrix = [MatrixCell(o, f"Officer Number {o:04d} Hyphenated-Longname", f"BADGE-{o:05d}", mid,
                         "overdue" if o % 3 == 0 else "passed", None, 80.0, 1, date(2027, 1, 31), "2027")
              for o in range(1, officers + 1) for mid, _ in modules]
    rates = [ModuleRate(mid, 2971, 2970, 1, 0, assigned=2971) for mid, _ in modules]
    overdue = [c for c in matrix if c.status == "overdue"]
    trend = [TrendPoint(f"2026-{m:02d}-01", 120 * m, 120 * m * (m + 1) // 2) for m in range(1, 13)]
    return DepartmentDashboard(Department(id=1, name="Vermont State Police, Williston Barracks", code="VSP"),
                               date(2027, 3, 1), modules, matrix, rates, overdue, trend)


def test_pdf_report_keeps_every_module_name_and_figure_whole_on_numbered_pages():
    made = datetime(2027, 3, 2, 2, 30, tzinfo=timezone.utc)  # 9:30 p.m. on March 1 in Vermont
    reader = PdfReader(io.BytesIO(department_report_pdf(big_board(), cycle_label="2027", generated_at=made)))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(pages)
    for _mid, title in big_board().modules:
        assert title in text, title
    assert text.count("100% (2970/2971, 1 overdue)") == 9
    assert "Officer Number 0045 Hyphenated-Longname (BADGE-00045)" in text
    for n, page in enumerate(pages, start=1):
        assert page.startswith("FIPP training report | Vermont State Police, Williston Barracks | Cycle: 2027 | "
                               "Made 2027-03-01 21:30 EST (America/New_York)"), page[:160]
        assert f"Page {n} of {len(pages)}" in page
    assert len(pages) > 3
    assert reader.metadata.title == "FIPP training report: Vermont State Police, Williston Barracks, cycle 2027"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"


def test_nothing_in_the_pdf_report_is_drawn_outside_its_page():
    layout = pytest.importorskip("pdfminer.high_level")
    from pdfminer.layout import LTChar, LTCurve, LTTextContainer

    def inked(obj):
        if isinstance(obj, (LTChar, LTCurve)):
            yield obj
        elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                yield from inked(child)

    data = department_report_pdf(big_board(), cycle_label="2027")
    checked = 0
    for page in layout.extract_pages(io.BytesIO(data)):
        for obj in inked(page):
            checked += 1
            assert page.x0 <= obj.x0 and obj.x1 <= page.x1 and page.y0 <= obj.y0 and obj.y1 <= page.y1, \
                (page.pageid, type(obj).__name__, obj.bbox, getattr(obj, "get_text", lambda: "")())
    assert checked > 5_000  # the check saw the whole report, not an empty page


def test_the_old_report_layout_would_have_failed_the_page_check():
    """Positive control: a value cell placed where the old report put it runs past the page edge."""
    layout = pytest.importorskip("pdfminer.high_level")
    from fpdf import FPDF
    from pdfminer.layout import LTChar, LTTextContainer

    pdf = FPDF(unit="mm", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 8)
    pdf.set_x(pdf.l_margin + 84 + 90)
    pdf.cell(0, 6, "100% (2970/2971, 1 overdue) and a long tail of text that keeps going")
    page = next(layout.extract_pages(io.BytesIO(bytes(pdf.output()))))
    chars = [c for box in page if isinstance(box, LTTextContainer) for line in box for c in line
             if isinstance(c, LTChar)]
    assert max(c.x1 for c in chars) > page.x1
