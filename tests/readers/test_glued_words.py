"""Words that run together on the page (issue [10]-style fail-open, found while fixing a fuzz
mutant): a producer that draws "(14 Cherry Tree Road) Tj (Headingley) Tj" with nothing between
the pieces shows "RoadHeadingley", and a reader still sees the address. The order's items are
matched with such words parted; typed text that merely has a capital inside a word (iPhone,
McDonald) matches as before."""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.detectors.order_items import unglue

ORDER = Path(__file__).resolve().parents[2] / "fixtures" / "sample-case" / "order.yaml"
PIECES = ["Ms Jane Ashworth", "Flat 2", "14 Cherry Tree Road", "Headingley", "Leeds", "LS6 3EX"]


def _glued_pdf(path: Path) -> None:
    """A real PDF (reportlab) whose address pieces are drawn end to end on one line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    x = 60.0
    for piece in PIECES:
        pdf.drawString(x, 700, piece)
        x += stringWidth(piece, "Helvetica", 12)
    pdf.drawString(60, 660, "The visit went well and the children were settled.")
    pdf.save()


@pytest.fixture(scope="module")
def glued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("glued") / "glued.pdf"
    _glued_pdf(path)
    return path


def test_an_address_drawn_with_its_pieces_run_together_is_blocked(glued: Path) -> None:
    import pypdfium2 as pdfium

    shown = pdfium.PdfDocument(str(glued))[0].get_textpage().get_text_range()
    assert "RoadHeadingley" in shown.replace("\r", "").replace("\n", "")  # what a reader sees
    doc = redactguard.scan(glued, ORDER, "respondent", model=None).documents[0]
    assert doc.status == "blocked"
    assert "applicant-address" in {f.item for f in doc.findings if f.severity == "block"}


def test_redaction_removes_the_glued_address(glued: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    (doc,) = redactguard.redact([glued], ORDER, "respondent", output=out).documents
    assert doc.status == "written"
    again = redactguard.scan(out, ORDER, "respondent", model=None).documents[0]
    assert [f.item for f in again.findings if f.item is not None] == []


def test_capitals_inside_ordinary_words_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("She uses an iPhone at McDonald's on Tuesdays; her PhD is in law.\n", encoding="utf-8")
    doc = redactguard.scan(path, ORDER, "respondent", model=None).documents[0]
    assert doc.status == "clean"


@pytest.mark.parametrize(("text", "parted"), [
    ("RoadHeadingley", "Road Headingley"),
    ("LeedsLS6 3EXDear", "Leeds LS6 3EX Dear"),
    ("14Cherry Road14", "14 Cherry Road 14"),
    ("LS6 3EX", "LS6 3EX"),
    ("07700 900461", "07700 900461"),
])
def test_unglue_keeps_offsets(text: str, parted: str) -> None:
    out, starts, ends = unglue(text)
    assert out == parted
    assert len(starts) == len(ends) == len(out)
    for i, ch in enumerate(out):
        if ch != " " or ends[i] > starts[i]:
            assert text[starts[i]:ends[i]] == ch
