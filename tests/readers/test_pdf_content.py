"""Damaged page content that viewers read differently (`readers/pdf_content.py`, issue 21 [10]).

The fuzz suite found a mutant of simple-2page that passed as clean: a copy of the file spliced
into page 2's content stream, mid-way through the string holding the address. The damaged
cross-reference is rebuilt by each reader its own way: PDFium takes the first (cut) copy of the
content and shows "Page two of the note." only; pypdf and poppler take the second and show the
address. It is rebuilt here from the committed fixture (pypdf only, no qpdf), and must fail
closed; undamaged pages with unusual but valid operators must not be flagged at all.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject

from redactguard.readers import ReadContext, read_document
from redactguard.readers.pdf_content import damaged_syntax, unread_run


def uncompressed(path: Path, page2: bytes | None = None) -> bytes:
    """The PDF rewritten by pypdf with its content streams in the clear (page 2's replaced)."""
    writer = PdfWriter(clone_from=path)
    for number, page in enumerate(writer.pages, 1):
        if page2 is not None and number == 2:
            stream = DecodedStreamObject()
            stream.set_data(page2)
            page.replace_contents(stream)
        else:
            page.replace_contents(page.get_contents())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def spliced(data: bytes) -> bytes:
    """The fuzz mutant's damage: the file cut inside page 2's address string, and the content
    object it was cut in written again whole after it (so it is defined twice, and every
    cross-reference offset after the cut is wrong)."""
    cut = data.index(b"(The home visit wa") + len(b"(The home visit wa")
    start = [m.start() for m in re.finditer(rb"\d+ 0 obj", data[:cut])][-1]
    return data[:cut] + b" 2\n" + data[start:]


def read(data: bytes) -> ReadContext:
    ctx = ReadContext(name="damaged.pdf", ocr="never")
    list(read_document(data, ctx, "pdf"))
    return ctx


def test_spliced_content_that_viewers_read_differently_fails_closed(files_dir: Path) -> None:
    data = spliced(uncompressed(files_dir / "simple-2page.pdf"))
    # the premise: pypdf (like poppler) reads the address on page 2, PDFium's text has lost it
    assert "Cherry Tree Road" in PdfReader(io.BytesIO(data)).pages[1].extract_text()

    ctx = read(data)

    assert [(p.code, p.page) for p in ctx.problems] == [("corrupt", 2)]
    assert ctx.problems[0].message == "page 2 has damaged content that viewers read differently"


def test_the_undamaged_fixture_is_not_flagged(files_dir: Path) -> None:
    data = uncompressed(files_dir / "simple-2page.pdf")
    for page in PdfReader(io.BytesIO(data)).pages:
        assert not damaged_syntax(page.get_contents().get_data())
    assert read(data).problems == []


TEXT = b"BT /F1 11 Tf 1 0 0 1 70 748 Tm (Page two of the note.) Tj ET\n"

#: Unusual but valid content (ISO 32000-2): none of it is damage.
VALID = {
    "inline image": b"q 8 0 0 8 70 600 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00(\xff)BT[ EI Q\n",
    "inline image, decode parameters": b"q BI /CS/RGB /W 1 /H 1 /BPC 8 /F/Fl /DP<</Predictor 15 /Columns 1>>\n"
                                       b"ID x\x9c(c EI Q\n",
    "inline image, ASCII85 holding EI": b"q BI /W 1 /H 1 /BPC 8 /CS /G /F /A85 ID 9jqo^ EI a~> EI Q\n",
    "marked content": b"/Artifact BMC EMC /P <</MCID 0>> BDC /Span <</ActualText <FEFF0041>>> BDC EMC EMC"
                      b" /Tag MP /Tag <<>> DP\n",
    "shading": b"q /Sh1 sh Q\n",
    "compatibility section": b"BX /Foo 1 2 unknownop (x) anotherop EX 0 g\n",
    "text operators": b"BT /F1 11 Tf 12 TL [(a)-20(b\\)c)12.5(\\(d)]TJ T* (e) ' 1 2 (f) \" -.5 +3. Td ET\n",
    "graphics": b"q 1 0 0 RG .5 g [3 2] 0 d 0 0 m 10 10 l 20 0 5 5 30 30 c S 0 0 10 10 re W* n f* B* b Q\n",
    "comment": b"% a comment with ( and [ and <<\n0 g\n",
    "nested strings": b"BT (a (b (c (d) c) b) a) Tj ET\n",
}


@pytest.mark.parametrize("name", VALID)
def test_unusual_valid_operators_are_not_damage(files_dir: Path, name: str) -> None:
    assert not damaged_syntax(TEXT + VALID[name])
    ctx = read(uncompressed(files_dir / "simple-2page.pdf", page2=TEXT + VALID[name]))
    assert ctx.problems == []
    assert not any("damaged" in note for note in ctx.notes)


@pytest.mark.parametrize("glyph", [
    b"500 0 d0 BT /F1 1 Tf (a) Tj ET",
    b"500 0 0 0 450 700 d1 0 0 m 450 700 l f",
])
def test_type3_glyph_procedures_are_not_damage(glyph: bytes) -> None:
    assert not damaged_syntax(glyph)


#: Damaged syntax: each leaves a word that is no operator, or a bracket that does not pair.
DAMAGED = {
    "string cut off": b"BT (The home visit wa 2\n%% Original\n9 0 obj\n<< /Length 10 0 R >>\nstream\nBT (x) Tj ET\n",
    "string never closed": b"BT (abc Tj ET\n",
    "stray word": b"BT (abc) Tjx ET\n",
    "number with stray characters": b"1.2.3 Tz 10s\n",
    "array never closed": b"BT [ (x) Tj ET\n",
    "dictionary never closed": b"/P << /MCID 0 BDC EMC\n",
    "stray bracket": b"BT ] Tj ET\n",
    "brace": b"BT { (x) Tj ET\n",
    "inline image data without BI": b"ID (x) Tj EI\n",
    "inline image never ending": b"BI /W 1 /H 1 (x) Tj\n",
    "bad hex string": b"BT <41zz> Tj ET\n",
    "object syntax": b"BT (x) Tj ET\nendstream\nendobj\n",
}


@pytest.mark.parametrize("name", DAMAGED)
def test_damaged_syntax_is_found(name: str) -> None:
    assert damaged_syntax(TEXT + DAMAGED[name])


def test_readings_disagree_where_one_reads_a_run_the_other_lacks() -> None:
    pypdf = "Page two of the note.\nThe home visit was at 14 Cherry Tree Road, Headingley.\n"
    assert unread_run(pypdf, ["Page two of the note."])
    assert not unread_run(pypdf, ["Page two of the note.\r\nThe home visit was at 14 Cherry Tree Road, Headingley."])


@pytest.mark.parametrize(("pypdf", "pdfium"), [
    ("Anti-correlated paintingCorrelated painting", "Anti-correlated\nCorrelated painting\npainting"),  # joined
    ("0.01 0.10.1 1 10", "0.01\n0.1\n0.1\n1\n10"),  # a chart's tick labels on one line
    ("R2 O þ H2/C0!OH þ H 8.50 /C2 10/C020 /C2 T2.7 /C2 e/C03160/T", "R2 O + H2 → OH + H 8.50 × 10−20 × T2.7"),  # glyph names
    ("Resolved by the Senate (the House of Representatives1", "Resolved by the Senate (the House of\nRepresentatives\n1"),
    ("emlowln emlowln emlowln emlowln", ""),  # one garbage word, repeated
])
def test_extractors_differences_are_not_disagreement(pypdf: str, pdfium: str) -> None:
    assert not unread_run(pypdf, [pdfium])
