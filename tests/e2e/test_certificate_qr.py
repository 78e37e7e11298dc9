"""The QR code on a certificate opens the public check page, which says the certificate is valid."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from db.engine import make_engine, read_session
from db.migrate import upgrade
from tests.conftest import FIXTURE_CONTENT
from tests.e2e.conftest import start_app, stop_app, wait_idle
from tests.integrity.helpers import add_trainees, pass_quiz, seed_department
from training.certificates import certificate_pdf, qr_png
from training.content import load_catalog
from training.evidence.public import verification_url
from training.records import certificate_data


def certificate(db: Path, public_url: str, monkeypatch) -> bytes:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    catalog = load_catalog(FIXTURE_CONTENT)
    who = add_trainees(engine, *seed_department(engine), 1)[0]
    completion_id = pass_quiz(engine, who, catalog).completion_id
    assert completion_id is not None
    with read_session(engine) as s:
        data = certificate_data(session=s, completion_id=completion_id, module_title="Sample module")
    engine.dispose()
    monkeypatch.setenv("FIPP_PUBLIC_URL", public_url)
    return certificate_pdf(data, verify_url=verification_url(data.verification_code))


def url_and_qr_of(pdf: bytes) -> tuple[str, bytes]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"] if a.get_object().get("/A")]
    (image,) = page.images
    return str(links[0]), image.data


def _pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    return img.size, img.tobytes()


def test_the_qr_code_on_a_certificate_opens_a_valid_check(browser, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = start_app(tmp_path, content_root=FIXTURE_CONTENT)
    try:
        pdf = certificate(tmp_path / "e2e.db", app.url, monkeypatch)
        url, qr = url_and_qr_of(pdf)
        assert url.startswith(f"{app.url}/verify?code=")
        assert _pixels(qr) == _pixels(qr_png(url))  # the printed QR code encodes exactly this address
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("Valid certificate").wait_for(timeout=30_000)
        page.get_by_text("Score: 100%").wait_for(timeout=30_000)  # the last line shown
        wait_idle(page)
        body = page.inner_text("body")
        assert "Name: Trainee t0" in body and "Score: 100%" in body
        assert "@example.org" not in body  # nothing beyond the public fields
        page.goto(url[:-1] + ("A" if not url.endswith("A") else "B"))
        page.get_by_text("No valid certificate has this code.").wait_for(timeout=30_000)
    finally:
        stop_app(app)
