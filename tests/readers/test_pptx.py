"""PPTX reader: slide text, notes, hidden slides, footers and master text found on their slide
and part (fixtures/office/MANIFEST.tsv), the negative control clean, every other place of the
format read from a presentation built here, damaged ones failing closed, the corpus read."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

import redactguard
from redactguard.document import PROBLEM_CODES, Segment
from redactguard.readers import ReadContext, read_document
from redactguard.sources import collect
from redactguard.vocabulary import OcrMode

REPO = Path(__file__).resolve().parents[2]
OFFICE = REPO / "fixtures" / "office"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
CORPUS = Path("/work/shared/data/corpus")
SOURCE = OFFICE / "presentation-hiding-places.pptx"
ROWS = [r for r in csv.DictReader((OFFICE / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
        if r["file"].endswith(".pptx") and r["item"] != "none"]


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    order = redactguard.load_order(ORDER)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


def scan(scanner: redactguard.Scanner, path: Path) -> redactguard.DocumentResult:
    (result,) = [scanner.scan_source(s) for s in collect([str(path)])]
    return result


@pytest.mark.parametrize("row", ROWS, ids=[r["place"] for r in ROWS])
def test_hiding_place_is_found_on_its_slide(scanner: redactguard.Scanner, row: dict[str, str]) -> None:
    result = scan(scanner, OFFICE / row["file"])
    assert result.problems == ()
    found = {(f.item, f.location.part, str(f.location.page or ""), f.location.detail or "") for f in result.findings}
    assert (row["item"], row["part"], row["sheet_or_page"], row["field"]) in found


def test_negative_control_is_clean(scanner: redactguard.Scanner) -> None:
    assert scan(scanner, OFFICE / "presentation-negative.pptx").status == "clean"


def read(data: bytes) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="t.pptx", ocr=OcrMode.NEVER)
    return list(read_document(data, ctx, "pptx")), ctx


def with_parts(extra: dict[str, bytes], types: str = "") -> bytes:
    """The fixture presentation with parts added (or replaced) and content types declared."""
    zin = zipfile.ZipFile(io.BytesIO(SOURCE.read_bytes()))
    parts = {i.filename: zin.read(i) for i in zin.infolist()}
    parts.update(extra)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", types.encode() + b"</Types>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
    return out.getvalue()


_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_comments_alt_text_links_and_charts_carry_their_slide() -> None:
    rels = zipfile.ZipFile(SOURCE).read("ppt/slides/_rels/slide3.xml.rels").replace(b"</Relationships>", (
        f'<Relationship Id="rC1" Type="{_REL}/comments" Target="../comments/comment1.xml"/>'
        f'<Relationship Id="rH1" Type="{_REL}/hyperlink" Target="https://example.org/visit%20notes" TargetMode="External"/>'
        f'<Relationship Id="rK1" Type="{_REL}/chart" Target="../charts/chart1.xml"/></Relationships>').encode())
    slide = zipfile.ZipFile(SOURCE).read("ppt/slides/slide3.xml").replace(
        b'<p:cNvPr id="1" name=""/>', b'<p:cNvPr id="1" name="" descr="Photo of the front door"/>')
    data = with_parts({
        "ppt/slides/_rels/slide3.xml.rels": rels,
        "ppt/slides/slide3.xml": slide,
        "ppt/comments/comment1.xml": f'<p:cmLst xmlns:p="{_P}"><p:cm authorId="0"><p:text>Check the venue</p:text></p:cm></p:cmLst>'.encode(),
        "ppt/charts/chart1.xml": b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:v>Sessions attended</c:v></c:chartSpace>',
    }, '<Override PartName="/ppt/comments/comment1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.comments+xml"/>'
       '<Override PartName="/ppt/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>')
    segments, ctx = read(data)
    assert ctx.problems == []
    where = {s.text.strip(): (s.location.part, s.location.page) for s in segments}
    assert where["Check the venue"] == ("comment", 3)
    assert where["https://example.org/visit notes"] == ("link", 3)
    assert where["Sessions attended"] == ("body", 3)
    assert where["Photo of the front door"] == ("image", 3)


@pytest.mark.parametrize(("name", "ctype", "code"), [
    ("ppt/media/media1.mp4", '<Default Extension="mp4" ContentType="video/mp4"/>', "unsupported_part"),
    ("ppt/vbaProject.bin", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>', "unsupported_part"),
], ids=["video", "macros"])
def test_parts_that_cannot_be_checked_fail_closed(name: str, ctype: str, code: str) -> None:
    _, ctx = read(with_parts({name: b"\x00\x00\x00\x18ftypmp42"}, ctype))
    assert [p.code for p in ctx.problems] == [code]


def test_slide_list_pointing_nowhere_is_corrupt() -> None:
    zin = zipfile.ZipFile(SOURCE)
    rels = zin.read("ppt/_rels/presentation.xml.rels").replace(b"slides/slide2.xml", b"slides/missing.xml")
    _, ctx = read(with_parts({"ppt/_rels/presentation.xml.rels": rels}))
    assert [p.code for p in ctx.problems] == ["corrupt"]


@pytest.mark.skipif(not (CORPUS / "pptx").is_dir(), reason="the shared corpus (/work/shared/data/corpus) is absent")
def test_corpus_presentations_read_without_crash() -> None:
    for path in sorted((CORPUS / "pptx").iterdir()):
        ctx = ReadContext(name=path.name, ocr=OcrMode.NEVER)
        list(read_document(path.read_bytes(), ctx, "pptx"))
        assert all(p.code in PROBLEM_CODES for p in ctx.problems)
        assert not any("reader failed" in p.message for p in ctx.problems), path.name
