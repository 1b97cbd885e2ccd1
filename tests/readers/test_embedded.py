"""Embedded objects and metafile pictures in DOCX: each hiding place found with its location,
negative controls clean, damage and depth failing closed (fixtures/embedded/, built by
fixtures/build_embedded.py; the sample case's order, recipient `respondent`)."""

from __future__ import annotations

import importlib.util
import io
import struct
import zipfile
from pathlib import Path

import pytest

import redactguard
from redactguard.document import Location
from redactguard.readers import ReadContext
from redactguard.readers.embedded import read_embedded
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[2]
EMBEDDED = REPO / "fixtures" / "embedded"
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "docx"


@pytest.fixture(scope="module")
def scanner(order_path: Path) -> redactguard.Scanner:
    order = redactguard.load_order(order_path)
    return redactguard.Scanner(order, "respondent", redactguard.ScanOptions(generic=False, model=None))


def scan(scanner: redactguard.Scanner, path: Path) -> redactguard.DocumentResult:
    (result,) = [scanner.scan_source(source) for source in collect([str(path)])]
    return result


def _builder():  # noqa: ANN202 - the fixtures script, for its compound-file writer
    spec = importlib.util.spec_from_file_location("build_embedded", REPO / "fixtures" / "build_embedded.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("name", "item", "location"), [
    ("ole-excel.docx", "applicant-phone",
     {"part": "attachment", "attachment": "Microsoft_Excel_Worksheet.xlsx", "inner": {"part": "body", "sheet": 1, "cell": "B2"}}),
    ("ole-package.docx", "applicant-address",
     {"part": "attachment", "attachment": "contact.txt", "inner": {"part": "body"}}),
    ("emf-text.docx", "applicant-address", {"part": "image", "image": "word/media/image1.emf"}),
    ("wmf-text.docx", "applicant-address", {"part": "image", "image": "word/media/image1.wmf"}),
])
def test_value_is_found_where_it_hides(scanner: redactguard.Scanner, name: str, item: str, location: dict) -> None:
    result = scan(scanner, EMBEDDED / name)

    assert not result.problems
    assert location in [f.location.to_dict() for f in result.findings if f.item == item]
    assert all(f.severity == "block" for f in result.findings)


def test_bitmap_in_an_emf_picture_is_read_by_ocr(scanner: redactguard.Scanner) -> None:
    result = scan(scanner, EMBEDDED / "emf-bitmap.docx")

    assert not result.problems
    (finding,) = [f for f in result.findings if f.item == "applicant-address"]
    loc = finding.location.to_dict()
    assert (loc["part"], loc["image"]) == ("image", "word/media/image1.emf")
    assert len(loc["bbox"]) == 4  # OCR gives the words' box in the bitmap's pixels


@pytest.mark.parametrize("name", ["emf-clean.docx", "ole-package-clean.docx"])
def test_negative_controls_are_clean(scanner: redactguard.Scanner, name: str) -> None:
    result = scan(scanner, EMBEDDED / name)

    assert result.status == "clean"
    assert not result.problems and not result.findings


def test_package_label_and_paths_are_read_as_the_objects_metadata() -> None:
    ctx = ReadContext(name="ole-package.docx")
    data = zipfile.ZipFile(EMBEDDED / "ole-package.docx").read("word/embeddings/oleObject1.bin")
    segments = list(read_embedded(ctx, "word/embeddings/oleObject1.bin", data))

    fields = {s.location.inner.detail: s.text for s in segments if s.location.attachment == "oleObject1.bin"}
    assert fields["OLE package original path"] == "C:\\Users\\caseworker\\Documents\\contact.txt"
    assert fields["OLE package label"] == "contact.txt"
    assert fields["OLE ProgID"] == "Package"


def test_objects_nested_past_the_depth_limit_are_limit_exceeded(scanner: redactguard.Scanner) -> None:
    result = scan(scanner, EMBEDDED / "ole-nested.docx")

    assert result.status == "unreadable"
    assert [p.code for p in result.problems] == ["limit_exceeded"]


def test_damaged_ole_object_is_corrupt_at_its_attachment() -> None:
    data = zipfile.ZipFile(EMBEDDED / "ole-package.docx").read("word/embeddings/oleObject1.bin")
    ctx = ReadContext(name="damaged")
    list(read_embedded(ctx, "word/embeddings/oleObject1.bin", data[:700]))

    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert ctx.problems[0].location == Location(part="attachment", attachment="oleObject1.bin")


def test_object_with_private_data_fails_closed_naming_its_progid() -> None:
    build = _builder()
    def ansi(text: str) -> bytes:  # a length-prefixed string of a CompObj stream
        return struct.pack("<I", len(text) + 1) + text.encode() + b"\0"

    comp_obj = (b"\x01\x00\xfe\xff\x03\x0a\x00\x00\xff\xff\xff\xff" + b"\0" * 16
                + ansi("MathType 6.0 Equation") + struct.pack("<I", 0) + ansi("Equation.DSMT4"))
    ole = build.cfb_file([("\x01CompObj", comp_obj), ("Equation Native", b"\x1c\0\0\0" + b"\x02" * 40)], b"\0" * 16)
    ctx = ReadContext(name="equation")
    list(read_embedded(ctx, "word/embeddings/oleObject3.bin", ole))

    (problem,) = ctx.problems
    assert problem.code == "unsupported_part"
    assert "oleObject3.bin" in problem.message and "Equation.DSMT4" in problem.message


def test_embedded_metafile_part_is_read_as_a_picture() -> None:
    ctx = ReadContext(name="emf")
    segments = list(read_embedded(ctx, "word/embeddings/image9.emf", (EMBEDDED / "address.emf").read_bytes()))

    assert ctx.problems == []
    assert {s.location.to_dict()["inner"]["part"] for s in segments} == {"image"}
    assert "Headingley, Leeds LS6 3EX" in [s.text for s in segments]


def _rezip(source: Path, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, replace.get(info.filename, zin.read(info)))
    return out.getvalue()


def test_damaged_emf_picture_in_a_docx_is_corrupt(scanner: redactguard.Scanner, tmp_path: Path) -> None:
    emf = (EMBEDDED / "address.emf").read_bytes()
    path = tmp_path / "damaged-emf.docx"
    path.write_bytes(_rezip(EMBEDDED / "emf-text.docx", {"word/media/image1.emf": emf[: len(emf) - 40]}))

    result = scan(scanner, path)

    assert [p.code for p in result.problems] == ["corrupt"]  # and the address read before the damage
    assert "applicant-address" in [f.item for f in result.findings]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/data/corpus")
@pytest.mark.parametrize("name", [
    "tika__testWORD_EMFAndAttachments.docx",  # Packager objects (text, PDF), a DOCX, EMF previews
    "tika__EmbeddedPDF.docx",  # an Acrobat object: the PDF in its CONTENTS stream
    "tika__EmbeddedOutlook.docx",  # a Packager object holding an Outlook .msg
])
def test_real_word_documents_with_ole_objects_are_read(scanner: redactguard.Scanner, name: str) -> None:
    result = scan(scanner, CORPUS / name)

    assert [p.code for p in result.problems if "embedded object" in p.message or "picture" in p.message] == []
