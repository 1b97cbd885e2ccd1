"""The file type comes from the content, never the name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from redactguard.readers.sniff import sniff


@pytest.mark.parametrize(
    "name, kind",
    [
        ("files/simple-2page.pdf", "pdf"),
        ("files/renamed-pdf.txt", "pdf"),
        ("files/encrypted.pdf", "pdf"),
        ("files/truncated.pdf", "pdf"),
        ("files/image-only.pdf", "pdf"),
        ("files/simple.docx", "docx"),
        ("files/corrupt.docx", "docx"),
        ("sample-case/bundle/school-letters.zip", "zip"),
        ("files/latin1.txt", "text"),
        ("files/plain.txt", "text"),
        ("files/unsupported.bin", "unknown"),
    ],
    ids=lambda v: v if "/" in str(v) else None,
)
def test_committed_fixture_types(name: str, kind: str, files_dir: Path) -> None:
    assert sniff((files_dir.parent / name).read_bytes()) == kind


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(100), "image", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0" + bytes(100), "image", id="jpeg"),
        pytest.param(b"GIF89a" + bytes(100), "image", id="gif"),
        pytest.param(b"II*\x00" + bytes(100), "image", id="tiff"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "ole", id="legacy-office-ole2"
        ),
        pytest.param(
            b"From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n",
            "eml",
            id="email",
        ),
        pytest.param(b"", "text", id="empty-file"),
        pytest.param("Plain words, £5\n".encode("cp1252"), "text", id="cp1252-text"),
        pytest.param("Plain words\n".encode("utf-16-le"), "text", id="utf-16-without-bom"),
        pytest.param(
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
            "xlsx",
            id="xlsx",
        ),
        pytest.param(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}), "xlsb", id="xlsb"),
        pytest.param(_zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), "pptx", id="pptx"),
        pytest.param(_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt", id="odt"),
        pytest.param(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet-template"}), "ods", id="ots"),
        pytest.param(_zip({"mimetype": b"application/vnd.oasis.opendocument.presentation"}), "odp", id="odp"),
        pytest.param(_zip({"mimetype": b"application/vnd.oasis.opendocument.graphics"}), "office", id="odg"),
        pytest.param(_zip({"[Content_Types].xml": b"<Types/>", "visio/document.xml": b"<v/>"}), "office", id="vsdx"),
        pytest.param(_zip({"a.txt": b"hello", "b.txt": b"world"}), "zip", id="plain-zip"),
        pytest.param(b"junk" + bytes(10) + b"%PDF-1.7\n", "pdf", id="pdf-header-after-junk"),
    ],
)
def test_magic_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_stored_zip_starting_with_a_pdf_member_is_a_zip(files_dir: Path) -> None:
    data = _zip(
        {"a.pdf": (files_dir / "simple-2page.pdf").read_bytes(), "b.txt": b"note"},
        zipfile.ZIP_STORED,
    )

    assert sniff(data) == "zip"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: b"-\xa4\x19\x1b" + d[4:], id="header-bytes-flipped"),
        pytest.param(lambda d: b"$" + d[1:], id="percent-sign-flipped"),
        pytest.param(lambda d: d[d.index(b"\n") + 1:], id="header-line-cut-off"),
    ],
)
def test_pdf_with_a_damaged_header_is_still_a_pdf(damage, files_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by tests/fuzz: read as text, its compressed pages went unchecked and it passed clean,
    while poppler still showed the address on page 2."""
    import redactguard

    data = damage((files_dir / "simple-2page.pdf").read_bytes())
    assert sniff(data) == "pdf"
    order = redactguard.load_order(files_dir.parent / "sample-case" / "order.yaml")
    scanner = redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))
    assert scanner.scan_bytes(data, "damaged.pdf").status == "blocked"


@pytest.mark.parametrize(
    "text",
    [
        b"Notes on the PDF format: an object looks like 1 0 obj.\n",
        b"Invoice 12 0 obj... not really\nItem 3 4\n",
    ],
)
def test_text_that_mentions_one_pdf_object_stays_text(text: bytes) -> None:
    assert sniff(text) == "text"


def test_zip_whose_first_bytes_are_damaged_is_still_a_zip(files_dir: Path) -> None:
    """Found by fuzzing: a DOCX with its first local header damaged was read as text and passed
    clean, though unzip tools read it from its central directory at the end."""
    data = b"XX" + (files_dir / "simple.docx").read_bytes()[2:]

    assert sniff(data) == "docx"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "GIF", "BMP", "WEBP"])
def test_pictures_pillow_writes_are_sniffed_as_image(fmt: str) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 20), 255).save(buffer, format=fmt)

    assert sniff(buffer.getvalue()) == "image"


@pytest.mark.parametrize(
    "data, kind",
    [
        pytest.param(b"<!DOCTYPE html>\n<html><body>x</body></html>", "html", id="html5-doctype"),
        pytest.param(b"  <html lang=en><p>x", "html", id="html-without-doctype"),
        pytest.param(b"<p>Note: 14 Cherry Tree Road</p>", "html", id="fragment-starting-with-p"),
        pytest.param(b"<!-- saved page --><div>x</div>", "html", id="comment-then-div"),
        pytest.param(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "html", id="xhtml"),
        pytest.param("<p>café</p>".encode("utf-16"), "html", id="utf-16-html"),
        pytest.param(b"Pasted:\n14 Cherry <b>Tree</b> Road", "html", id="tags-inside-text"),
        pytest.param(b"Flat&nbsp;2, 14&nbsp;Cherry Tree Road", "html", id="entities-inside-text"),
        pytest.param(b"{\\rtf1\\ansi\\deff0 x}", "rtf", id="rtf"),
        pytest.param(b"\r\n{\\rtf1\\bin4 \x00\x01\x02\x03}", "rtf", id="rtf-with-binary-data"),
        pytest.param(b'<?xml version="1.0"?><case><a>x</a></case>', "xml", id="xml-declaration"),
        pytest.param(b"<case><a>x</a></case>", "xml", id="xml-root-without-declaration"),
        pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "svg", id="svg"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>', "svg", id="svg-without-declaration"),
        pytest.param(b"% statement\n\\documentclass{article}\n", "latex", id="latex-documentclass"),
        pytest.param(b"\\begin{document}\nx\n\\end{document}\n", "latex", id="latex-begin-document"),
        pytest.param(b"\\section{A}\n14 Cherry \\textbf{Tree} Road \\emph{x}\n", "latex", id="latex-fragment"),
        pytest.param(b"%!PS-Adobe-3.0\n(x) show\n", "postscript", id="postscript"),
        pytest.param(b"a < b and c > d; see <Jane> later", "text", id="angle-brackets-in-prose"),
        pytest.param(b"Tom & Jerry; AT&T", "text", id="ampersands-in-prose"),
        pytest.param(b"Notes mention \\documentclass and \\textbf in passing", "text", id="latex-words-in-prose"),
    ],
)
def test_markup_is_not_plain_text(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize("name", ["address.emf", "address.wmf", "address.emz"])
def test_a_metafile_on_its_own_is_a_metafile(name: str) -> None:
    """EMF, WMF and their gzip form, as a bundle member or attachment: read as pictures whose
    writing is in records (issue [11]), not `unsupported_type`."""
    data = (Path(__file__).resolve().parents[2] / "fixtures" / "embedded" / name).read_bytes()
    assert sniff(data) == "metafile"


def test_a_gzip_of_something_else_is_not_a_metafile() -> None:
    import gzip

    assert sniff(gzip.compress(b"just some text, compressed" * 10)) != "metafile"

