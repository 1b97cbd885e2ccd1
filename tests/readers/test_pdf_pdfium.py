"""A PDF pypdf cannot open, read with PDFium alone (`readers/pdf_pdfium.py`, issue [10]).

The files are real: a reportlab letter with the address in each place a PDF can hide it (page
text, an annotation, a link, a form field, the outline, the Info dictionary, XMP, an embedded
file), then damaged in one of two ways found by trying damages on it: each stops pypdf's
non-strict reader while PDFium still opens and renders the file
(`test_the_damage_stops_pypdf_but_not_pdfium` keeps that true):

- `startxref` removed: pypdf finds the cross-reference table only through it and raises
  "startxref not found"; PDFium rebuilds the table by scanning for objects.
- the cross-reference subsection header made unreadable (`xref\\nX 20`): pypdf fails on the
  header; PDFium, finding the table bad, rebuilds it the same way.

(A renamed `trailer` keyword stops both: that is the file that must still fail closed.)
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdf_bytes import pdf_from_objects

import redactguard
from redactguard.document import Location, Segment
from redactguard.errors import UnreadableDocument
from redactguard.readers import ReadContext, read_document
from redactguard.readers.pdf import open_pdf
from redactguard.readers.pypdf_compat import add_object

ADDRESS = "14 Cherry Tree Road"
NOTE = "the PDF was read with PDFium alone: pypdf could not parse it (PdfReadError)"

DAMAGES: dict[str, Callable[[bytes], bytes]] = {  # the file's own, not an embedded PDF's
    "startxref-removed": lambda d: re.sub(rb"startxref\s+\d+\s+(%%EOF\s*)$", rb"\1", d),
    "xref-header-unreadable": lambda d: re.sub(rb"\nxref\n0 (\d+\s+0000000000 65535 f\s+(?:\d{10} \d{5} n\s+)+trailer)(?!.*\nxref\n)",
                                              rb"\nxref\nX \1", d, flags=re.S),
}


def letter(*, secret: bool = True) -> bytes:
    """The reportlab letter; `secret=False` keeps every part but says nothing protected."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    where = ADDRESS if secret else "the court office"
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1)
    canvas.setTitle(f"Title: {where}")
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 760, "Page one: the note says nothing of where anyone lives.")
    canvas.bookmarkPage("p1")
    canvas.addOutlineEntry(f"Outline: {where}", "p1")
    canvas.textAnnotation(f"Annot: {where}", Rect=(72, 600, 200, 650))
    canvas.linkURL(f"https://example.org/{where.replace(' ', '-').lower()}", (72, 500, 200, 520))
    canvas.acroForm.textfield(name="addr", value=f"Field: {where}", x=72, y=400, width=300, height=20)
    canvas.showPage()
    canvas.drawString(72, 760, f"Page two: the family now lives at Flat 2, {where}, Headingley." if secret
                      else "Page two: the hearing is listed for the morning.")
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(buf.getvalue()))
    writer.add_attachment("note.txt", f"Attached: {where}, Leeds".encode())
    writer.add_metadata({"/CaseNote": f"Custom: {where}"})  # an Info entry PDFium has no getter for
    xmp = StreamObject()
    xmp.set_data(b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
                 b"<dc:description>XMP: " + where.encode() + b"</dc:description></x:xmpmeta><?xpacket end=\"r\"?>")
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = add_object(writer, xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def damaged(damage: str, *, secret: bool = True) -> bytes:
    return DAMAGES[damage](letter(secret=secret))


def read(data: bytes, **context: object) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="damaged.pdf", **context)  # type: ignore[arg-type]
    return list(read_document(data, ctx, "pdf")), ctx


@pytest.mark.parametrize("damage", DAMAGES)
def test_the_damage_stops_pypdf_but_not_pdfium(damage: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        open_pdf(damaged(damage), lean=True)
    assert caught.value.code == "corrupt"
    assert len(pdfium.PdfDocument(damaged(damage))) == 2


#: (what holds it, the location the address is found at)
PLACES = [
    ("Page two:", Location(part="body", page=2)),
    ("Annot:", Location(part="annotation", page=1)),
    ("https://example.org/", Location(part="link", page=1)),
    ("Field:", Location(part="form-field", page=1)),
    ("Outline:", Location(part="outline")),
    ("Title:", Location(part="metadata", detail="Title")),
    ("XMP:", Location(part="metadata", detail="xmp")),
    ("Custom:", Location(part="metadata", detail="strings")),
    ("Attached:", Location(part="attachment", attachment="note.txt", inner=Location(part="body"))),
]


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("marker, location", PLACES, ids=[p[0].strip(":/") for p in PLACES])
def test_each_hiding_place_is_read_with_its_part(damage: str, marker: str, location: Location) -> None:
    segments, ctx = read(damaged(damage))

    (found,) = [s for s in segments if marker in s.text and s.location.part == location.part]
    assert found.location == location
    assert ADDRESS.replace(" ", "-").lower() in found.text.lower() or ADDRESS in found.text
    assert ctx.notes == [NOTE]
    assert ctx.problems == []
    assert ctx.pages == 2


def test_nothing_is_read_twice() -> None:
    """What PDFium's interface gave is not read again from the file's strings."""
    segments, _ = read(damaged("startxref-removed"))

    (strings,) = [s for s in segments if s.location.detail == "strings"]
    assert "Annot:" not in strings.text and "Title:" not in strings.text and "Field:" not in strings.text
    assert [s.location.attachment for s in segments if s.location.part == "attachment"].count("note.txt") == 2


def test_a_pdf_embedded_unfiltered_is_read_once(files_dir: Path) -> None:
    """Its objects, `endstream`s and `%%EOF` sit inside the outer file's stream: the byte reading
    must take the stream by its /Length, not cut it at the inner file's first object."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(letter(secret=False)))
    writer.add_attachment("inner.pdf", (files_dir / "simple-2page.pdf").read_bytes())
    out = io.BytesIO()
    writer.write(out)

    segments, ctx = read(DAMAGES["startxref-removed"](out.getvalue()))

    found = [s for s in segments if ADDRESS in s.text]
    assert [s.location for s in found] == [
        Location(part="attachment", attachment="inner.pdf", inner=Location(part="body", page=2))]
    assert (ctx.notes, ctx.problems) == ([NOTE], [])


def test_an_updated_file_is_read_but_fails_closed() -> None:
    """An incremental update replaced page 2's text. With the cross-reference damaged, PDFium
    rebuilds it from the objects and shows the page as it was before the update, so the
    update's text is read by nothing: the file is read, and fails closed."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    source = letter(secret=False)
    writer = PdfWriter(io.BytesIO(source), incremental=True)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 760 Td (Page two: now at 14 Cherry Tree Road.) Tj ET")
    writer.pages[1][NameObject("/Contents")] = add_object(writer, content)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(source)

    segments, ctx = read(DAMAGES["startxref-removed"](out.getvalue()))

    assert ADDRESS not in " ".join(s.text for s in segments)
    assert ctx.notes == [NOTE]
    assert [(p.code, p.message) for p in ctx.problems] == [
        ("corrupt", "the PDF has 2 revisions and a damaged cross-reference: viewers may show different revisions")]


def test_a_damaged_letter_is_blocked_and_says_how_it_was_read(order_path: Path) -> None:
    result = scanner(order_path).scan_bytes(damaged("startxref-removed"), "damaged.pdf")

    assert result.status == "blocked"
    assert result.problems == ()
    assert result.notes == (NOTE,)
    assert {f.location.part for f in result.findings} >= {"body", "annotation", "form-field", "outline", "metadata", "attachment"}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_clean_damaged_file_is_clean(damage: str, order_path: Path) -> None:
    """Read in full, a damaged file that holds nothing protected passes: the second reader does
    not turn every damaged file into a problem."""
    result = scanner(order_path).scan_bytes(damaged(damage, secret=False), "damaged.pdf")

    assert (result.status, result.problems, result.notes) == ("clean", (), (NOTE,))


def test_a_file_neither_can_open_fails_closed() -> None:
    data = letter().replace(b"trailer", b"trailor")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)

    segments, ctx = read(data)

    assert segments == []
    assert [(p.code, p.message) for p in ctx.problems] == [("corrupt", "the PDF cannot be parsed (PdfReadError)")]
    assert ctx.notes == []


def test_a_truncated_file_stays_corrupt_where_pdfium_opens_it() -> None:
    """Without its end-of-file marker a file was cut short: how much a viewer shows is unknown."""
    data = letter()
    data = data[:data.rindex(b"%%EOF")]
    assert len(pdfium.PdfDocument(data)) == 2

    segments, ctx = read(data)

    assert segments == []
    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert "end-of-file marker" in ctx.problems[0].message


def test_an_encrypted_damaged_file_is_read_but_fails_closed(files_dir: Path) -> None:
    """PDFium decrypts what its interface gives; the file's own strings and XMP are ciphertext."""
    data = DAMAGES["startxref-removed"]((files_dir / "encrypted-empty-password.pdf").read_bytes())

    segments, ctx = read(data)

    assert "Call 07700 900461" in [s.text.strip() for s in segments if s.location.part == "body"]
    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert "encrypted" in ctx.problems[0].message


def _page(content: bytes) -> list[bytes]:
    """Catalog, page tree and one page drawing `content` (objects 1 to 4)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        _stream(b"BT /F1 12 Tf 20 250 Td (" + content + b") Tj ET"),
    ]


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def test_a_page_object_pdfium_does_not_show_fails_closed() -> None:
    """A page outside the page tree: PDFium does not show it, another viewer mending the damaged
    tree may."""
    orphan = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 6 0 R >>"
    data = DAMAGES["startxref-removed"](pdf_from_objects([*_page(b"Nothing here"), orphan, _stream(b"(x) Tj")]))

    _, ctx = read(data)

    assert [(p.code, p.message) for p in ctx.problems] == [
        ("corrupt", "the file holds 2 page objects and PDFium shows 1: another viewer may show the others")]


def test_text_pdfium_puts_on_no_page_fails_closed() -> None:
    """The page's content is an object PDFium cannot find (its reference is wrong), while the
    file holds a stream that draws text: another viewer may put it on the page."""
    objects = _page(b"Flat 2, 14 Cherry Tree Road")
    objects[2] = objects[2].replace(b"/Contents 4 0 R", b"/Contents 9 0 R")
    _, ctx = read(DAMAGES["startxref-removed"](pdf_from_objects(objects)))

    assert [(p.code, p.page) for p in ctx.problems] == [("corrupt", 1)]
    assert "draws text PDFium could not place" in ctx.problems[0].message


#: Found by `REDACTGUARD_FUZZ=fuzz`: the first content stream's `endstream` overwritten by junk
#: and the second stream's /Length damaged; or a page nested too deeply for pypdf and the last
#: stream's `endstream` lost. PDFium shows page 1 and nothing on page 2; poppler mends the
#: stream and shows the address there.
JUNK = b"\xefR\xf2\xd9\xdf\\:\xcb$\xe2"


@pytest.mark.parametrize("damage, says", [
    pytest.param(lambda d: d.replace(b"~>endstream\nendobj", b"~>e" + JUNK + b"ndobj", 1).replace(b"/Length 199", b"/Length 0"),
                 "page 2 has a content stream that does not decode", id="pypdf-opens-the-file"),
    pytest.param(lambda d: _bad_byte(d.replace(b"/Length 199", b"/Length NaN"), b"9 0 obj"),
                 "page 2 has content neither pypdf nor PDFium can read", id="stream-dictionary-and-data-damaged"),
    pytest.param(lambda d: d.replace(b"~>endstream\nendobj", b"~>endstr" + JUNK, 1).replace(b"/Length 199", b"/Length 2147483647"),
                 "page 2 shows no text, but the file draws text PDFium could not place", id="pypdf-cannot-open-it"),
    pytest.param(lambda d: d.replace(b"/Contents 8 0 R /MediaBox", b"/Contents 8 0 R /Deep " + b"[" * 1100 + b"]" * 1100
                                     + b" /MediaBox", 1).replace(b"~>endstream\nendobj\nxref", b"~>\n\nxref"),
                 "page 2 shows no text, but the file draws text PDFium could not place", id="last-stream-without-its-end"),
])
def test_a_page_neither_reader_shows_fails_closed(damage: Callable[[bytes], bytes], says: str, files_dir: Path) -> None:
    segments, ctx = read(damage((files_dir / "simple-2page.pdf").read_bytes()))

    assert [s.location.page for s in segments if s.location.part == "body"] == [1]
    assert [(p.code, p.page, p.message) for p in ctx.problems] == [("corrupt", 2, says)]


def _bad_byte(data: bytes, obj: bytes) -> bytes:
    """A byte ASCII85 cannot hold, 40 bytes into the stream of object `obj`."""
    at = data.index(b"stream\n", data.index(obj)) + 7 + 40
    return data[:at] + b"\x95" + data[at + 1:]


@pytest.mark.parametrize("opened_by", ["pypdf", "pdfium"])
def test_a_content_stream_with_a_bad_ascii85_byte_fails_closed(opened_by: str, files_dir: Path) -> None:
    """Found by `REDACTGUARD_FUZZ=fuzz` (police-letter.pdf, one byte flipped): pypdf cannot decode
    the page's ASCII85 data, PDFium stops at the bad byte and shows the letterhead only, poppler
    skips it and shows the address. Viewers disagree, so the page is not vouched for."""
    data = _bad_byte((files_dir / "simple-2page.pdf").read_bytes(), b"9 0 obj")
    if opened_by == "pdfium":
        data = DAMAGES["startxref-removed"](data)

    _, ctx = read(data)

    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert ctx.problems[0].message in ("page 2 has a content stream that does not decode",
                                       "a stream of page content breaks off (read only in part): "
                                       "viewers decode different amounts of it")


def test_a_compressed_page_stream_that_breaks_off_fails_closed(files_dir: Path) -> None:
    """As in the pypdf path (test_pdf.py): viewers decode different amounts of it."""
    import zlib

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO((files_dir / "simple-2page.pdf").read_bytes()))
    for page in writer.pages:
        page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    data = bytearray(DAMAGES["startxref-removed"](buf.getvalue()))
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", bytes(data), flags=re.S):
        try:
            if b"Cherry" in zlib.decompress(m.group(1).rstrip(b"\r\n")):
                data[m.start(1) + len(m.group(1)) // 2] ^= 0xFF
                break
        except zlib.error:
            continue
    _, ctx = read(bytes(data))

    assert ctx.notes == [NOTE]
    assert any(p.code == "corrupt" and "breaks off" in p.message for p in ctx.problems)


def test_a_stream_hung_from_the_trailer_is_read_as_an_attachment() -> None:
    """As the pypdf path reads it (test_pdf.py): named by the media type before it."""
    data = pdf_from_objects([*_page(b"Nothing here"), _stream(b"Mother now at 14 Cherry Tree Road, Leeds")],
                            trailer=b"/AdditionalStreams [ /text#2fplain 5 0 R ] ")
    segments, ctx = read(DAMAGES["startxref-removed"](data))

    (inner,) = [s for s in segments if s.location.part == "attachment" and s.location.leaf().part == "body"]
    assert ADDRESS in inner.text
    assert inner.location.attachment == "trailer /AdditionalStreams text/plain"
    assert ctx.problems == []


def test_a_trailer_object_that_cannot_be_followed_fails_closed() -> None:
    data = pdf_from_objects(_page(b"Nothing here"), trailer=b"/Extra << /Note 4 0 R >> ")
    _, ctx = read(DAMAGES["startxref-removed"](data))

    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert "trailer" in ctx.problems[0].message


def test_a_page_range_reads_its_pages_and_its_neighbour_as_context() -> None:
    """`run.plan_units` never splits a file pypdf cannot open (it counts pages with pypdf), but
    `Scanner.scan_bytes(pages=...)` may still be given one: only the range is read, with the
    page before it as context, and the document-wide parts only where asked."""
    segments, ctx = read(damaged("startxref-removed"), page_range=(1, 2), document_parts=False)

    assert [(s.location.part, s.location.page) for s in segments] == [("body", 1), ("body", 2)]
    assert ctx.problems == []


def test_a_big_damaged_pdf_is_one_work_unit(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from redactguard.run import SPLIT_MIN_BYTES, SPLIT_MIN_PAGES, plan_units
    from redactguard.sources import collect

    buf = io.BytesIO()
    canvas = Canvas(buf, pageCompression=0, invariant=1)
    for number in range(SPLIT_MIN_PAGES + 10):
        for line in range(60):
            canvas.drawString(40, 800 - 12 * line, f"Page {number} line {line}: nothing protected here at all.")
        canvas.showPage()
    canvas.save()
    whole, broken = tmp_path / "whole.pdf", tmp_path / "broken.pdf"
    whole.write_bytes(buf.getvalue())
    broken.write_bytes(DAMAGES["startxref-removed"](buf.getvalue()))
    assert broken.stat().st_size >= SPLIT_MIN_BYTES

    assert len(plan_units(collect([str(whole)]), workers=4)) > 1
    assert [u.pages for u in plan_units(collect([str(broken)]), workers=4)] == [None]


def scanner(order_path: Path) -> redactguard.Scanner:
    order = redactguard.load_order(order_path)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))
