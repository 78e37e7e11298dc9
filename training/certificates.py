"""PDF certificates (fpdf2 with an embedded DejaVu Sans font, so Łukasz and José print right)."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from fpdf import FPDF

from training.localtime import agency_zone, format_local_date
from training.records import CertificateData

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"


def qr_png(text: str) -> bytes:
    """The QR code for text as a PNG (segno: pure Python, no image library needed)."""
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


def certificate_pdf(data: CertificateData, *, verify_hint: str = "", verify_url: str = "") -> bytes:
    """The certificate; with verify_url, the address anyone can check it at, printed and as a QR code."""
    pdf = FPDF(orientation="L", unit="mm", format="Letter")
    pdf.set_title(f"Certificate {data.verification_code}")
    pdf.set_author("FIPP Academy")
    pdf.set_lang("en-US")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    # One page, always: the footer sits inside the border, below fpdf's automatic page-break line,
    # which would otherwise push the printed address onto a second, unframed page.
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(30, 60, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(30)
    pdf.set_font("DejaVu", "B", 26)
    pdf.cell(0, 14, "Certificate of Completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, "FIPP Academy: Vermont model Fair and Impartial Policing Policy (2024)", align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 8, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.cell(0, 14, data.officer_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, data.department, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 8, "completed the training module", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 10, data.module_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.ln(4)
    rows = [
        ("Date", f"{format_local_date(data.completed_at)} ({agency_zone().key})"),
        ("Score", f"{data.score:.0f}%"),
        ("Training cycle", data.cycle),
        ("Module version", f"{data.module_id} @ {data.module_version_hash[:16]}"),
        ("Verification code", data.verification_code),
    ]
    for label, value in rows:
        pdf.set_x(60)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(50, 7, label)
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    if verify_hint:
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 5, verify_hint, align="C")
    if verify_url:
        size = 30
        pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.w - 20 - size, y=pdf.h - 22 - size, w=size, h=size,
                  link=verify_url)
        pdf.set_xy(20, pdf.h - 24)
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(0, 5, f"Check this certificate: {verify_url}", link=verify_url)
    return bytes(pdf.output())
