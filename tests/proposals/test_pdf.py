"""PDF proposals (issue [14]): /Redact annotations where PDFium draws the matches, a clean file
for qpdf, an XFDF with the same marks, and the reviewer's decisions taken back by
`redact --apply-reviewed`: unchanged, with a withheld mark deleted, overridden, and added to."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from redactguard.cli import main
from redactguard.proposals import AUTHOR, MARKER

from .conftest import ORDER, VALUES

XFDF = "{http://ns.adobe.com/xfdf/}"
#: Words of the letter the order does not withhold: no proposed mark may cover them.
KEPT_WORDS = ("Saturdays", "Combined", "Position")


def redact(*args: object) -> Result:
    return CliRunner().invoke(main, ["redact", *map(str, args), "--order", ORDER, "--recipient", "respondent"],
                              catch_exceptions=False)


def pdfium_marks(path: Path) -> tuple[list[tuple[float, float, float, float]], int]:
    """The rectangle of every /Redact annotation as PDFium reads it (PDFium gives no attachment
    points for this subtype), and the number of FreeText annotations, over all pages."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    boxes, free = [], 0
    pdf = pdfium.PdfDocument(str(path))
    for page in pdf:
        for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, k)
            kind = raw.FPDFAnnot_GetSubtype(annot)
            rect = raw.FS_RECTF()
            assert raw.FPDFAnnot_GetRect(annot, rect)
            if kind == raw.FPDF_ANNOT_FREETEXT:
                free += 1
            elif kind == raw.FPDF_ANNOT_REDACT:
                boxes.append((rect.left, rect.bottom, rect.right, rect.top))
            raw.FPDFPage_CloseAnnot(annot)
    pdf.close()
    return boxes, free


def quads(path: Path) -> list[tuple[float, float, float, float]]:
    """The box of each /QuadPoints quadrilateral of every /Redact annotation (pypdf)."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(path).pages:
        for annot in (a.get_object() for a in page.get("/Annots", [])):
            if annot["/Subtype"] == "/Redact":
                q = [float(v) for v in annot["/QuadPoints"]]
                for k in range(0, len(q), 8):
                    xs, ys = q[k : k + 8 : 2], q[k + 1 : k + 8 : 2]
                    out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def pdfium_word_boxes(path: Path, word: str) -> list[tuple[float, float, float, float]]:
    """The box of each character of each occurrence of `word` in PDFium's own text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    found = []
    for page in pdf:
        text = page.get_textpage()
        searcher = text.search(word)
        while (hit := searcher.get_next()) is not None:
            index, count = hit
            found += [text.get_charbox(i) for i in range(index, index + count) if text.get_text_range(i, 1).strip()]
    pdf.close()
    return found


def inside(box: tuple[float, float, float, float], marks: list[tuple[float, float, float, float]]) -> bool:
    """The character box's centre lies in a mark."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(m[0] <= x <= m[2] and m[1] <= y <= m[3] for m in marks)


def test_marks_sit_over_the_withheld_words_where_pdfium_draws_them(proposals: dict[str, Path]) -> None:
    rects, free = pdfium_marks(proposals["pdf"])
    lines = quads(proposals["pdf"])
    assert len(rects) == 3 and len(lines) == 5  # the address and the phone run over two lines each
    assert free == 1  # the marker, on the letter's one page
    assert all(inside(line, rects) for line in lines)
    for word in ("Cherry", "LS6", "07700", "900461", "ashworth.home"):
        chars = pdfium_word_boxes(proposals["pdf"], word)
        assert chars, word
        assert all(inside(c, lines) for c in chars), f"a character of a withheld word is outside every mark ({word[:2]}...)"
    for word in (*KEPT_WORDS, "lives", "children", "mobile"):
        chars = pdfium_word_boxes(proposals["pdf"], word)
        assert chars and not any(inside(c, lines) for c in chars), f"{word} is marked but not withheld"


def test_annotations_say_why_and_which_item_never_the_value(proposals: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(proposals["pdf"])
    assert reader.pdf_header == "%PDF-1.7"
    annots = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    redacts = [a for a in annots if a["/Subtype"] == "/Redact"]
    assert {a["/T"] for a in annots} == {AUTHOR}
    assert len({a["/NM"] for a in annots}) == len(annots)
    assert {str(a["/OverlayText"]) for a in redacts if "applicant-address" in a["/Contents"]} == {"FPR 29.1 / form C8"}
    assert sorted(next(w for w in str(a["/Contents"]).split() if w.startswith("applicant-")) for a in redacts) == [
        "applicant-address", "applicant-email", "applicant-phone"]
    for a in annots:
        assert all(v.lower() not in str(a.get("/Contents", "")).lower() for v in VALUES)
    marker = [a for a in annots if a["/Subtype"] == "/FreeText"]
    assert len(marker) == len(reader.pages) and marker[0]["/Contents"] == MARKER


def test_xfdf_beside_it_holds_the_same_marks(proposals: dict[str, Path]) -> None:
    from pypdf import PdfReader

    root = etree.parse(str(proposals["pdf"].with_suffix(".xfdf"))).getroot()
    assert root.find(f"{XFDF}f").get("href") == proposals["pdf"].name
    in_xfdf = {(el.get("name"), el.get("rect")) for el in root.iter(f"{XFDF}redact")}
    in_pdf = {(str(a["/NM"]), ",".join(f"{float(v):.3f}" for v in a["/Rect"]))
              for page in PdfReader(proposals["pdf"]).pages for a in (x.get_object() for x in page["/Annots"])
              if a["/Subtype"] == "/Redact"}
    assert in_xfdf == in_pdf and len(in_xfdf) == 3


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed (tools/install-system-packages.sh --test)")
def test_qpdf_finds_the_proposal_clean(proposals: dict[str, Path]) -> None:
    done = subprocess.run(["qpdf", "--check", str(proposals["pdf"])], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def texts(path: Path) -> tuple[str, str]:
    """The text of a PDF by pypdf and, where installed, by poppler's pdftotext."""
    from pypdf import PdfReader

    by_pypdf = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    poppler = shutil.which("pdftotext")
    by_poppler = subprocess.run([poppler, str(path), "-"], capture_output=True, text=True, timeout=60).stdout if poppler else ""
    return by_pypdf, by_poppler


def test_the_unchanged_proposal_applies_to_exactly_what_redact_writes(proposals: dict[str, Path], tmp_path: Path) -> None:
    applied = redact(proposals["pdf"], "--apply-reviewed", "--output-dir", tmp_path / "applied")
    assert applied.exit_code == 0, applied.output
    direct = redact(proposals["pdf-original"], "--output-dir", tmp_path / "direct")
    assert direct.exit_code == 0, direct.output
    out, ref = tmp_path / "applied" / "libreoffice-letter.pdf", tmp_path / "direct" / "libreoffice-letter.pdf"
    assert texts(out) == texts(ref)
    assert MARKER not in texts(out)[0] and "[WITHHELD]" in texts(out)[0]
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(ref.read_bytes()).digest()
    log = json.loads((tmp_path / "applied" / "libreoffice-letter.pdf.redaction.json").read_text())
    assert log["status"] == "written" and log["residues"] == [] and log["review"]["rejected"] == []
    assert log["review"]["proposed_kept"] == 3 and "override" not in log["review"]


def without_mark(proposal: Path, item: str, target: Path) -> Path:
    """The proposal as a reviewer leaves it who deleted the mark over `item` (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(proposal))
    for page in writer.pages:
        kept = [a for a in page["/Annots"] if item not in str(a.get_object().get("/Contents", ""))]
        assert len(kept) < len(page["/Annots"])
        page[NameObject("/Annots")] = ArrayObject(kept)
    writer.write(target)
    return target


def test_a_deleted_withheld_mark_is_refused_and_named(proposals: dict[str, Path], tmp_path: Path) -> None:
    reviewed = without_mark(proposals["pdf"], "applicant-phone", tmp_path / "letter.proposed.pdf")
    result = redact(reviewed, "--apply-reviewed", "--output-dir", tmp_path / "out", "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)["documents"][0]
    assert doc["status"] == "failed" and doc["output"] is None
    assert [(r["check"], r["item"], r["location"].get("page")) for r in doc["residues"]] == [("review", "applicant-phone", 1)]
    assert "█" in doc["residues"][0]["excerpt"]
    assert not (tmp_path / "out" / "letter.pdf").exists()
    assert all(v.lower() not in result.output.lower() for v in VALUES)


def test_an_override_writes_the_order_s_redaction_and_records_it(proposals: dict[str, Path], tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    reviewed = without_mark(proposals["pdf"], "applicant-phone", tmp_path / "letter.proposed.pdf")
    with caplog.at_level(logging.DEBUG, logger="redactguard"):
        result = redact(reviewed, "--apply-reviewed", "--output-dir", tmp_path / "out",
                        "--allow-reviewer-override", "--override-reason", "Judge's direction of 3 December")
    assert result.exit_code == 0, result.output
    assert "reviewer override for applicant-phone" in result.output
    log = json.loads((tmp_path / "out" / "letter.pdf.redaction.json").read_text())
    assert log["status"] == "written"
    assert log["review"]["override"]["items"] == ["applicant-phone"]
    assert log["review"]["override"]["reason"] == "Judge's direction of 3 December"
    assert [r["item"] for r in log["review"]["rejected"]] == ["applicant-phone"]
    records = [r.getMessage() for r in caplog.records if "reviewer override" in r.getMessage()]
    assert records and "applicant-phone" in records[0] and "Judge's direction" in records[0]
    text = texts(tmp_path / "out" / "letter.pdf")[0]
    assert "07700" not in text and "900461" not in text  # the order still wins
    assert all(v.lower() not in (result.output + "".join(records)).lower() for v in VALUES)


@pytest.mark.parametrize("args", [["--allow-reviewer-override"], ["--override-reason", "why"]], ids=["no reason", "no flag"])
def test_an_override_needs_both_the_flag_and_a_reason(proposals: dict[str, Path], tmp_path: Path, args: list[str]) -> None:
    result = redact(proposals["pdf"], "--apply-reviewed", "--output-dir", tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()


def test_a_mark_the_reviewer_added_is_redacted_too(proposals: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    chars = pdfium_word_boxes(proposals["pdf"], "Saturdays")
    box = (min(c[0] for c in chars), min(c[1] for c in chars), max(c[2] for c in chars), max(c[3] for c in chars))
    writer = PdfWriter(clone_from=PdfReader(proposals["pdf"]))
    page = writer.pages[0]
    added = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Redact"),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in box), NameObject("/T"): TextStringObject("Court clerk"),
    })
    page[NameObject("/Annots")] = ArrayObject([*page["/Annots"], writer._add_object(added)])
    reviewed = tmp_path / "letter.proposed.pdf"
    writer.write(reviewed)
    result = redact(reviewed, "--apply-reviewed", "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    by_pypdf, by_poppler = texts(tmp_path / "out" / "letter.pdf")
    assert "Saturdays" not in by_pypdf and "collect Lily from the contact centre" in by_pypdf
    assert "Saturdays" not in by_poppler
    log = json.loads((tmp_path / "out" / "letter.pdf.redaction.json").read_text())
    assert log["review"]["added_by_reviewer"] == 1 and "reviewer" in [r["item"] for r in log["removed"]]


def test_a_marker_flattened_into_the_page_fails_closed(proposals: dict[str, Path], tmp_path: Path) -> None:
    """A review tool that flattens annotations into the page content leaves the marker as text:
    nothing marked "PROPOSED - NOT REDACTED" may go out."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(proposals["pdf"]))
    page = writer.pages[0]
    fonts = page["/Resources"]["/Font"]
    fonts[NameObject("/RGFlat")] = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })
    stamp = ContentStream(None, None)
    stamp.set_data(f"BT /RGFlat 12 Tf 22 766 Td ({MARKER}) Tj ET".encode())
    contents = page.get_contents()
    assert contents is not None
    contents.set_data(contents.get_data() + b"\n" + stamp.get_data())
    page.replace_contents(contents)
    reviewed = tmp_path / "letter.proposed.pdf"
    writer.write(reviewed)
    result = redact(reviewed, "--apply-reviewed", "--output-dir", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "the proposal's marker or marks survive" in result.output and not (tmp_path / "out" / "letter.pdf").exists()
