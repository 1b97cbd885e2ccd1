"""PDF reader (pypdf) on the committed fixtures: page text, page numbers, and fail-closed problems."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from pdf_bytes import pdf_from_objects, plain

from redactguard.document import Location, Segment
from redactguard.readers import ReadContext, read_document


def read(path: Path, ocr: str = "auto") -> tuple[list[Segment], ReadContext]:
    """The page-text segments (part `body`) of a PDF, and the context with its problems."""
    ctx = ReadContext(name=path.name, ocr=ocr)
    return body(read_document(path.read_bytes(), ctx, "pdf")), ctx


def body(segments: Iterable[Segment]) -> list[Segment]:
    """The body flow: running headers, footers and page numbers are a flow of their own."""
    return [s for s in segments if s.location.part == "body" and s.flow == "body"]


def test_two_page_pdf_gives_one_segment_per_page(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "simple-2page.pdf")

    assert ctx.pages == 2
    assert ctx.problems == []
    assert [s.location for s in segments] == [
        Location(part="body", page=1),
        Location(part="body", page=2),
    ]
    assert "Cherry" not in segments[0].text
    assert "14 Cherry Tree Road, Headingley" in segments[1].text
    assert len({s.flow for s in segments}) == 1  # one flow: matching runs across the page break


def test_letter_keeps_address_lines_in_reading_order(bundle_dir: Path) -> None:
    segments, ctx = read(bundle_dir / "police-letter.pdf")

    assert ctx.pages == 2
    assert [s.location.page for s in segments] == [1, 2]
    assert (
        "Ms Jane Ashworth\nFlat 2\n14 Cherry Tree Road\nHeadingley\nLeeds\nLS6 3EX\n"
        in segments[0].text
    )
    assert segments[0].text.rstrip().endswith("related criminal investigation,")
    assert "deleted in line with national guidance" in segments[1].text


def test_libreoffice_pdf_is_read(bundle_dir: Path) -> None:
    segments, ctx = read(bundle_dir / "court-directions.pdf")

    assert (ctx.pages, ctx.problems) == (1, [])
    assert segments[0].text.startswith("IN THE FAMILY COURT SITTING AT LEEDS")
    assert "Leeds Combined Court Centre, 1 Oxford Row,\nLeeds LS1 3BG" in segments[0].text


def test_pdf_with_empty_user_password_is_decrypted_and_read(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "encrypted-empty-password.pdf")

    assert ctx.problems == []
    assert ctx.pages == 1
    assert [(s.location.page, s.text.strip()) for s in segments] == [(1, "Call 07700 900461")]


def test_image_only_page_without_ocr_is_a_no_text_layer_problem_on_page_1(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "image-only.pdf", ocr="never")

    assert ctx.pages == 1
    assert "".join(s.text for s in segments).strip() == ""
    assert [(p.code, p.page) for p in ctx.problems] == [("no_text_layer", 1)]
    assert ctx.problems[0].message == "page 1 has no text layer and was not read (--ocr never)"


@pytest.mark.parametrize(
    "name, code",
    [
        pytest.param("encrypted.pdf", "encrypted", id="password-protected-is-encrypted"),
        pytest.param("truncated.pdf", "corrupt", id="truncated-is-corrupt"),
    ],
)
def test_unreadable_pdf_is_a_problem_not_text(name: str, code: str, files_dir: Path) -> None:
    segments, ctx = read(files_dir / name)

    assert segments == []
    assert [p.code for p in ctx.problems] == [code]
    assert ctx.pages is None


def test_problem_messages_hold_no_document_text(files_dir: Path) -> None:
    for name in ("encrypted.pdf", "truncated.pdf", "image-only.pdf"):
        _, ctx = read(files_dir / name)
        for problem in ctx.problems:
            assert "07700" not in problem.message and "Cherry" not in problem.message


def test_pdf_named_txt_is_read_as_pdf_when_type_is_sniffed(files_dir: Path) -> None:
    ctx = ReadContext(name="renamed-pdf.txt")

    segments = body(read_document((files_dir / "renamed-pdf.txt").read_bytes(), ctx))

    assert ctx.pages == 1
    assert [(s.location.page, s.text.strip()) for s in segments] == [
        (1, "Forwarding address on file: postcode LS6 3EX.")
    ]


def _nth(data: bytes, old: bytes, new: bytes, n: int) -> bytes:
    at = -1
    for _ in range(n):
        at = data.index(old, at + 1)
    return data[:at] + new + data[at + len(old):]


@pytest.mark.parametrize(
    "damage, page, says",
    [
        pytest.param(
            lambda d: d.replace(b"/Count 2", b"/Count NaN"), 1, "not a page object",
            id="page-tree-node-unparseable",
        ),
        pytest.param(
            lambda d: d.replace(b"/Type /Pages", b"/Type /Page "), 1, "page-tree node marked as a page",
            id="page-tree-root-marked-as-a-page",
        ),
        pytest.param(
            lambda d: _nth(d, b"/Type /Page\n", b"/Type /Font\n", 2), None, "only 1 of its pages can be read",
            id="page-marked-as-something-else-is-dropped-by-pypdf",
        ),
    ],
)
def test_damage_that_pypdf_recovers_from_quietly_is_a_problem(damage, page: int | None, says: str, files_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: each of these read as clean (pypdf gave no or garbled text for the page
    and raised nothing), while PDFium still showed the address on page 2."""
    data = damage((files_dir / "simple-2page.pdf").read_bytes())
    ctx = ReadContext(name="damaged.pdf")
    list(read_document(data, ctx, "pdf"))

    assert ("corrupt", page) in [(p.code, p.page) for p in ctx.problems]
    assert any(says in p.message for p in ctx.problems)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d.replace(b"/Length 199", b"/Length NaN"), id="content-stream-dictionary-unparseable"),
        pytest.param(lambda d: _nth(d, b"/Resources", b"/Res2urces", 2), id="page-resources-lost-so-its-font-is-unknown"),
        pytest.param(lambda d: d.replace(b"/Encoding /WinAnsiEncoding", b"/Encoding /Identity-H     "),
                     id="font-encoding-gives-replacement-characters"),
    ],
)
def test_damage_that_pypdf_misreads_is_read_as_pdfium_shows_it(damage, files_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: pypdf gave no or garbled text for page 2 and raised nothing, while
    PDFium showed the address there. The page text is PDFium's now: the address is read."""
    data = damage((files_dir / "simple-2page.pdf").read_bytes())
    segments, ctx = read_bytes(data)

    assert "14 Cherry Tree Road" in next(s.text for s in segments if s.location.page == 2)


def read_bytes(data: bytes) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="damaged.pdf")
    return body(read_document(data, ctx, "pdf")), ctx


def _broken_stream_pdf(files_dir: Path) -> bytes:
    """simple-2page.pdf with page 2's compressed content damaged halfway through its address line."""
    import io
    import re
    import zlib

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO((files_dir / "simple-2page.pdf").read_bytes()))
    for page in writer.pages:
        page.compress_content_streams()
    buf = io.BytesIO()
    writer.write(buf)
    data = bytearray(buf.getvalue())
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", bytes(data), flags=re.S):
        try:
            if b"Cherry" in zlib.decompress(m.group(1).rstrip(b"\r\n")):
                middle = m.start(1) + len(m.group(1)) // 2
                data[middle] ^= 0xFF
                return bytes(data)
        except zlib.error:
            continue
    raise AssertionError("no compressed page stream holds the address")


def test_a_compressed_page_stream_that_breaks_off_is_a_problem(files_dir: Path) -> None:
    """Found by make fuzz: pypdf decodes a damaged Flate stream up to the damage, logs a warning
    and returns the part; the page lost its address line and the file passed clean, while poppler
    (which decodes further) showed it."""
    ctx = ReadContext(name="broken-stream.pdf")
    list(read_document(_broken_stream_pdf(files_dir), ctx, "pdf"))

    assert ("corrupt", 2) in [(p.code, p.page) for p in ctx.problems]


def test_damage_is_told_per_document_when_threads_read_at_once(files_dir: Path) -> None:
    """A Dask worker reads documents in threads: what one document's pypdf recovered from (a
    stream that breaks off, a rebuilt cross-reference) is its own, never another's."""
    from concurrent.futures import ThreadPoolExecutor

    broken, clean = _broken_stream_pdf(files_dir), (files_dir / "simple-2page.pdf").read_bytes()
    rebuilt = clean.replace(b"startxref\n", b"startxref\n1")

    def problems(data: bytes) -> list[tuple[str, int | None]]:
        ctx = ReadContext(name="doc.pdf", ocr="never")
        list(read_document(data, ctx, "pdf"))
        return [(p.code, p.page) for p in ctx.problems]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(problems, [broken, clean, rebuilt] * 8))
    assert all(("corrupt", 2) in r for r in results[0::3])
    assert results[1::3] == [[]] * 8 and results[2::3] == [[]] * 8


def _text(words: bytes) -> bytes:
    content = b"BT /F1 12 Tf 20 50 Td (" + words + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


#: A two-level page tree: the root gives every page a box, fonts and a rotation; an inner node
#: gives its pages a smaller box; one page is an inline dictionary, one overrides the box.
INHERITING_TREE = pdf_from_objects([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 /MediaBox [0 0 300 300] /Rotate 90"
    b" /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Type /Pages /Parent 2 0 R /Kids [6 0 R << /Type /Page /Parent 3 0 R /Contents 8 0 R >>]"
    b" /Count 2 /MediaBox [0 0 200 200] >>",
    b"<< /Type /Page /Parent 2 0 R /Contents 9 0 R /MediaBox [0 0 400 400] >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /Page /Parent 3 0 R /Contents 7 0 R >>",
    _text(b"Page one"),
    _text(b"Page two"),
    _text(b"Page three"),
])


@pytest.mark.parametrize("name", ["inheriting-tree", "simple-2page.pdf", "encrypted-empty-password.pdf", "image-only.pdf", "police-letter.pdf"])
def test_the_lean_page_list_builds_the_pages_pypdf_builds(name: str, files_dir: Path, bundle_dir: Path) -> None:
    """The reader keeps a reference per page and builds the page on demand (memory flat in the
    page count); each page must be the one pypdf's own flattening gives, inherited entries too."""
    from redactguard.readers.pdf import open_pdf

    if name == "inheriting-tree":
        data = INHERITING_TREE
    else:
        data = ((files_dir / name) if (files_dir / name).exists() else (bundle_dir / name)).read_bytes()
    eager, lean = open_pdf(data), open_pdf(data, lean=True)

    assert len(lean.pages) == len(eager.pages) > 0
    assert [plain(p) for p in lean.pages] == [plain(p) for p in eager.pages]
    assert [plain(p.indirect_reference) for p in lean.pages] == [plain(p.indirect_reference) for p in eager.pages]
    assert plain(lean.pages[-1]) == plain(eager.pages[-1])  # negative indices, as a list


def test_inherited_page_entries_reach_each_page_read() -> None:
    from redactguard.readers.pdf import open_pdf

    pages = open_pdf(INHERITING_TREE, lean=True).pages

    assert [list(map(float, p["/MediaBox"])) for p in pages] == [[0, 0, 200, 200], [0, 0, 200, 200], [0, 0, 400, 400]]
    assert [p["/Rotate"] for p in pages] == [90, 90, 90]
    ctx = ReadContext(name="tree.pdf")
    segments = body(read_document(INHERITING_TREE, ctx, "pdf"))
    assert ctx.problems == []
    assert [(s.location.page, s.text.strip()) for s in segments] == [(1, "Page one"), (2, "Page two"), (3, "Page three")]


def test_reading_a_long_pdf_holds_one_parsed_page_at_a_time() -> None:
    """pypdf's page list holds every parsed page (about 4 KB each); the reader's holds the one
    being read, so a 1,000-page bundle costs no more page memory than a 300-page one."""
    import gc
    import io
    import weakref

    from pypdf import PdfWriter

    from redactguard.readers.pdf import open_pdf
    from redactguard.readers.pypdf_compat import forget_objects

    writer = PdfWriter()
    for _ in range(120):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)

    def alive_after_reading(reader: object) -> int:
        refs = [weakref.ref(page) for page in reader.pages]  # type: ignore[attr-defined]
        gc.collect()
        return sum(ref() is not None for ref in refs)

    lean = open_pdf(buf.getvalue(), lean=True)
    assert alive_after_reading(lean) <= 1  # the page last read
    forget_objects(lean)
    assert alive_after_reading(lean) <= 1
    assert alive_after_reading(open_pdf(buf.getvalue())) == 120  # pypdf's own list: what this saves


# ------------------------------------------------------------------ outside the catalog: the trailer

def _trailer_pdf(trailer: bytes, extra: list[bytes]) -> bytes:
    """One harmless page; `trailer` hangs more from the trailer (objects 5 on are `extra`)."""
    return pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        _text(b"Nothing to see here"),
        *extra,
    ], trailer=trailer)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def test_a_stream_hung_from_the_trailer_is_read_as_an_attachment() -> None:
    """A viewer never shows it, but it travels with the file (LibreOffice's hybrid PDF keeps its
    source document there): read as a document of its own, named by the media type before it."""
    data = _trailer_pdf(b"/AdditionalStreams [ /text#2fplain 5 0 R ] ", [_stream(b"Mother now at 14 Cherry Tree Road, Leeds")])
    ctx = ReadContext(name="t.pdf")
    segments = list(read_document(data, ctx, "pdf"))

    (inner,) = [s for s in segments if s.location.part == "attachment" and s.location.leaf().part == "body"]
    assert "14 Cherry Tree Road" in inner.text
    assert inner.location.attachment == "trailer /AdditionalStreams text/plain"
    assert inner.location.inner == Location(part="body")
    assert ctx.problems == []


def test_a_string_hung_from_the_trailer_is_read_as_metadata() -> None:
    data = _trailer_pdf(b"/Note << /Text (14 Cherry Tree Road) >> ", [])
    segments = list(read_document(data, ReadContext(name="t.pdf"), "pdf"))

    assert [(s.location.part, s.location.detail, s.text) for s in segments if s.location.part == "metadata"] == [
        ("metadata", "trailer /Note /Text", "14 Cherry Tree Road"),
    ]


def test_the_trailers_own_entries_are_not_read_again() -> None:
    """Root, Info, ID and the rest are the trailer's own: nothing more is read from them."""
    segments = list(read_document(_trailer_pdf(b"", []), ReadContext(name="t.pdf"), "pdf"))

    assert [s.location.part for s in segments] == ["body"]


def test_a_libreoffice_hybrid_pdf_is_not_clean(files_dir: Path) -> None:
    """LibreOffice's "Hybrid PDF" carries the whole ODF source, whose comment names the address;
    the page alone is clean. The ODT inside is read, and its comment is found where it is."""
    from pypdf import PdfReader

    import redactguard

    path = files_dir / "libreoffice-hybrid.pdf"
    assert "Cherry" not in "".join(page.extract_text() for page in PdfReader(path).pages)

    order = redactguard.load_order(files_dir.parent / "sample-case" / "order.yaml")
    result = redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None)).scan_source(
        redactguard.sources.collect([str(path)])[0])

    assert result.status == "blocked"
    assert not result.problems
    assert [(f.item, f.location.to_dict()) for f in result.findings] == [
        ("applicant-address", {"part": "attachment", "attachment": "trailer /AdditionalStreams application/vnd.oasis.opendocument.text",
                               "inner": {"part": "comment"}}),
    ]


def test_an_unchanged_page_of_an_earlier_revision_is_not_read_again(files_dir: Path) -> None:
    """An incremental update that changes only the metadata leaves every page as it was: the
    earlier revision's pages are read as the final ones are (by position) and compare equal."""
    import io

    from pypdf import PdfWriter

    source = (files_dir / "simple-2page.pdf").read_bytes()
    writer = PdfWriter(io.BytesIO(source), incremental=True)
    writer.add_metadata({"/Title": "Two-page note, revised"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert data.startswith(source) and data.count(b"%%EOF") == 2
    ctx = ReadContext(name="revised.pdf")

    parts = [s.location.part for s in read_document(data, ctx, "pdf")]

    assert "previous-revision" not in parts
    assert ctx.problems == []
