"""Damaged page content whose positions no longer keep the words apart (`readers/pdf_layout.py`
`read_object_text`, `pdf.py` / `pdf_pdfium.py` `_pieces`).

Found by tests/fuzz (`test_pdf_byte_damage`): byte damage to the sample-case police letter lost
page 1's `cm` operators and spoilt several numbers, so PDFium draws every text object right after
the last, on one line, and its text reads "... 14 Cherry Tree RoadHeadingleyLeedsLS6 3EXDear ...".
A person still reads the address there, but no order item matches "RoadHeadingley" or
"LeedsLS6": the file passed `clean`. A damaged page's text objects are now read one per line as
well, where PDFium's text runs one into the next.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
from pdf_bytes import pdf_from_objects

import redactguard
from redactguard.readers import ReadContext, read_document
from redactguard.readers.pdf_layout import read_object_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MUTANT = FIXTURES / "fuzz" / "pdf-bytes-damaged-numbers.pdf"
ORDER = FIXTURES / "sample-case" / "order.yaml"


def scan(data: bytes, name: str = "damaged.pdf") -> redactguard.DocumentResult:
    scanner = redactguard.Scanner(redactguard.load_order(ORDER), "respondent",
                                  redactguard.ScanOptions(generic=False, model=None))
    return scanner.scan_bytes(data, name)


def pdfium_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def one_page(content: bytes) -> bytes:
    """A one-page PDF drawing `content` in Helvetica (`/F1`)."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ])


def test_the_fuzz_mutant_with_damaged_numbers_is_not_clean() -> None:
    data = MUTANT.read_bytes()
    shown = " ".join(pdfium_text(data).split())
    assert "14 Cherry Tree RoadHeadingley" in shown  # what a viewer draws: the address, glued

    result = scan(data)

    assert result.status != "clean"
    if result.status == "unreadable":
        assert result.problems
    else:
        assert result.status == "blocked"
        assert "applicant-address" in {f.item for f in result.findings}
        assert {f.location.page for f in result.findings if f.item == "applicant-address"} == {1}


def test_the_mutant_page_is_read_by_its_text_objects_too() -> None:
    ctx = ReadContext(name="damaged.pdf")
    segments = list(read_document(MUTANT.read_bytes(), ctx, "pdf"))

    pieces = [s for s in segments if s.flow.startswith("objects:")]
    assert [s.location.page for s in pieces] == [1]
    assert " 14 Cherry Tree Road\nHeadingley\nLeeds\nLS6 3EX\n" in pieces[0].text
    for problem in ctx.problems:  # no document text in a message
        assert "Cherry" not in problem.message and "LS6" not in problem.message


GLUED = b"BT /F1 12 Tf 72 700 Td (Flat 2, ) Tj (14 Cherry Tree Road) Tj (Headingley) Tj %s(Leeds) Tj ET"


def test_a_damaged_page_whose_pieces_run_together_is_blocked() -> None:
    """A hand-made page: text objects drawn one after another with no space, and a number
    that does not parse (`1.2.3`), the damage pypdf warns of and replaces with 0."""
    data = one_page(GLUED % b"1.2.3 0 Td ")
    assert "RoadHeadingley" in pdfium_text(data)

    result = scan(data)

    assert result.status == "blocked"
    assert "applicant-address" in {f.item for f in result.findings}


def test_an_intact_page_is_not_read_again() -> None:
    """Only damaged pages are read by their text objects: an intact page costs nothing more
    (the producer's own spacing is what a person sees)."""
    ctx = ReadContext(name="intact.pdf")
    segments = list(read_document(one_page(GLUED % b""), ctx, "pdf"))

    assert not [s for s in segments if s.flow.startswith("objects:")]
    assert ctx.problems == []


def test_read_object_text_breaks_only_where_pieces_touch() -> None:
    spaced = one_page(b"BT /F1 12 Tf 72 700 Td (Flat 2 ) Tj (14 Cherry Tree Road ) Tj 0 -14 Td (Leeds) Tj ET")
    glued = one_page(GLUED % b"")
    for data, expected in ((spaced, ""), (glued, "Flat 2, 14 Cherry Tree Road\nHeadingley\nLeeds")):
        pdf = pdfium.PdfDocument(data)
        try:
            text = read_object_text(pdf[0])
        finally:
            pdf.close()
        assert text.strip() == expected


def test_a_file_only_pdfium_opens_is_read_by_its_text_objects_too() -> None:
    """pypdf cannot open the file (its `startxref` is gone): PDFium alone reads it, and every
    page of such a file is damaged."""
    data = re.sub(rb"startxref\s+\d+\s+(%%EOF\s*)$", rb"\1", one_page(GLUED % b""))

    result = scan(data)

    assert result.status == "blocked"
    assert "applicant-address" in {f.item for f in result.findings}
