"""Pictures redacted in their pixels (issue [8]): the OCR fixtures redacted for the respondent.

Everything runs the real Tesseract. Each fixture is redacted once per session; the outputs are
then read by the `tesseract` command run here directly (PDF pages rendered by poppler's
pdftoppm at 300 dpi), which must recover no withheld spelling, even through OCR's misreadings,
while the sentences around them still read. The outputs must hold no byte run of the original
pictures and no picture metadata, and verification must catch a picture left unpainted.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import redactguard
from redactguard.document import Segment
from redactguard.formats import redactor
from redactguard.ocr import fold, read_metadata
from redactguard.readers.sniff import sniff
from redactguard.redactors import RedactionResult, Targets
from redactguard.redactors.base import repair_misreadings
from redactguard.redactors.images import strip_jpeg_metadata
from redactguard.verify import verify_output

REPO = Path(__file__).resolve().parents[2]
OCR = REPO / "fixtures" / "ocr"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"

#: Withheld spellings, folded for OCR confusions and white space removed before comparing.
WITHHELD = ("cherry tree", "14 cherry", "headingley", "ls6 3ex", "07700", "900461", "st mary", "horsforth")
#: Text around them that must still read after painting.
KEPT = ("visited you at", "dear ms ashworth", "leeds combined court centre", "tuesday morning")

CASES = {
    "scanned-letter.pdf": "pdf", "scanned-letter-stamped.pdf": "pdf", "scanned-report.docx": "docx",
    "scans.zip": "zip", "scanned-letter.tif": "image", "door-photo.jpg": "image",
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def targets_for(recipient: str = "respondent") -> Targets:
    options = redactguard.ScanOptions(generic=False, model=None)
    return Targets(redactguard.Scanner(redactguard.load_order(ORDER), recipient, options))


@dataclass
class Redacted:
    source: bytes
    result: RedactionResult


@pytest.fixture(scope="session")
def redacted() -> dict[str, Redacted]:
    targets = targets_for()
    out = {}
    for name, kind in CASES.items():
        data = (OCR / name).read_bytes()
        out[name] = Redacted(data, redactor(kind).redact(data, targets))
    return out


def tesseract(picture: bytes) -> str:
    """The `tesseract` command's text for a picture file (every frame of a TIFF)."""
    done = subprocess.run(["tesseract", "-", "-", "--psm", "3"], input=picture, capture_output=True,
                          check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    return done.stdout.decode("utf-8", "replace")


def pdf_pages_as_png(data: bytes, tmp: Path) -> list[bytes]:
    source = tmp / "in.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(source), str(tmp / "page")], check=True)
    return [p.read_bytes() for p in sorted(tmp.glob("page*.png"))]


def pictures_in(name: str, data: bytes, tmp: Path) -> list[bytes]:
    """What a reader of the output sees, as picture files for the tesseract command."""
    if name.endswith(".pdf"):
        return pdf_pages_as_png(data, tmp)
    if name.endswith((".docx", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [zf.read(n) for n in zf.namelist() if sniff(zf.read(n)) == "image"]
    return [data]


@pytest.mark.parametrize("name", [n for n in CASES if n != "door-photo.jpg"])
def test_tesseract_reads_no_withheld_spelling_but_the_rest_of_the_page(
    name: str, redacted: dict[str, Redacted], tmp_path: Path,
) -> None:
    result = redacted[name].result
    assert result.problems == []
    assert {r.action for r in result.removals} >= {"painted"}
    text = _key("\n".join(tesseract(p) for p in pictures_in(name, result.data, tmp_path)))

    assert [w for w in WITHHELD if _key(w) in text] == []
    assert [k for k in KEPT if _key(k) not in text] == []


def test_the_removal_log_gives_each_item_its_picture_and_box(redacted: dict[str, Redacted]) -> None:
    removals = redacted["scanned-report.docx"].result.removals
    painted = {(r.item, r.location.image) for r in removals if r.action == "painted"}

    assert painted == {
        ("applicant-address", "word/media/image1.jpg"), ("child-school", "word/media/image1.jpg"),
        ("applicant-phone", "word/media/image1.jpg"), ("applicant-phone", "word/media/image2.jpg"),
    }
    assert all(r.location.bbox is not None and r.location.part == "image" for r in removals if r.action == "painted")
    tif = redacted["scanned-letter.tif"].result.removals
    assert {(r.item, r.location.page) for r in tif} >= {("applicant-address", 1), ("child-school", 2)}


def _slices(blob: bytes, size: int = 48, count: int = 40) -> list[bytes]:
    """Byte runs from all over `blob`, leaving out runs of padding (too few distinct bytes)."""
    step = max(1, (len(blob) - size) // count)
    runs = [blob[i : i + size] for i in range(64, len(blob) - size, step)]
    return [r for r in runs if len(set(r)) >= 16]


def _pdf_image_streams(data: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]
        out += [xobjects[k].get_object()._data for k in xobjects]
    return out


@pytest.mark.parametrize("name", ["scanned-letter.pdf", "scanned-letter-stamped.pdf"])
def test_a_pdf_keeps_no_byte_of_the_original_picture(name: str, redacted: dict[str, Redacted]) -> None:
    case = redacted[name]
    [old] = _pdf_image_streams(case.source)
    [new] = _pdf_image_streams(case.result.data)
    new_image = PdfReader(io.BytesIO(case.result.data)).pages[0].images[0].image

    assert new != old and new_image.size == (2480, 3508)
    assert [s for s in _slices(old) if s in case.result.data] == []
    assert b"/SMask" not in case.result.data and b"/Thumb" not in case.result.data


@pytest.mark.parametrize("name, member", [
    ("scanned-report.docx", "word/media/image1.jpg"), ("scanned-report.docx", "word/media/image2.jpg"),
    ("scans.zip", "scans/health-visitor-letter.png"),
])
def test_a_picture_part_is_replaced_whole(name: str, member: str, redacted: dict[str, Redacted]) -> None:
    case = redacted[name]
    with zipfile.ZipFile(io.BytesIO(case.source)) as zf:
        old = zf.read(member)
    with zipfile.ZipFile(io.BytesIO(case.result.data)) as zf:
        new = zf.read(member)
        everything = b"".join(zf.read(n) for n in zf.namelist())

    assert Image.open(io.BytesIO(new)).format == Image.open(io.BytesIO(old)).format
    assert [s for s in _slices(old) if s in everything] == []
    assert read_metadata(new) == []


def test_a_tiff_keeps_its_frames_and_changes_only_inside_the_painted_boxes(redacted: dict[str, Redacted]) -> None:
    # Bilevel TIFF is re-encoded losslessly (group 4), so rows without a withheld word come out
    # as the same codes as before: what must differ is every painted box, and only that.
    case = redacted["scanned-letter.tif"]
    before, after = Image.open(io.BytesIO(case.source)), Image.open(io.BytesIO(case.result.data))
    assert (after.format, after.n_frames) == ("TIFF", 2)
    for frame in (1, 2):
        before.seek(frame - 1)
        after.seek(frame - 1)
        boxes = [r.location.bbox for r in case.result.removals if r.location.page == frame]
        old, new = before.convert("L"), after.convert("L")
        for box in boxes:
            inked = (old.crop(box).tobytes().count(0), new.crop(box).tobytes().count(0))
            assert inked[1] > 2 * inked[0]  # painted solid where the words were
        far = (0, 3000, 2480, 3508)  # the foot of the page, far from every withheld word
        assert old.crop(far).tobytes() == new.crop(far).tobytes()


def test_exif_xmp_and_gps_are_gone(redacted: dict[str, Redacted]) -> None:
    case = redacted["door-photo.jpg"]
    before = Image.open(io.BytesIO(case.source))
    after = Image.open(io.BytesIO(case.result.data))
    exif = after.getexif()

    assert 0x8825 in before.getexif() and 0x013B in before.getexif()
    assert (after.format, 0x8825 in exif, 0x013B in exif, len(exif.get_ifd(0x8825))) == ("JPEG", False, False, 0)
    assert "xmp" not in after.info and read_metadata(case.result.data) == []
    assert ("gps", "removed", "image-metadata") in {(r.item, r.action, r.location.part) for r in case.result.removals}
    # Nothing was painted, so the picture data itself is kept byte for byte (no second JPEG loss).
    assert after.tobytes() == Image.open(io.BytesIO(case.source)).tobytes()


def test_jpeg_metadata_is_cut_without_touching_the_picture() -> None:
    data = (OCR / "door-photo.jpg").read_bytes()
    stripped = strip_jpeg_metadata(data)

    assert len(stripped) < len(data) and b"Exif" not in stripped and b"xmpmeta" not in stripped
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_verification_passes_the_redacted_pictures(redacted: dict[str, Redacted]) -> None:
    targets = targets_for()
    for name in ("scanned-report.docx", "door-photo.jpg"):
        out = redacted[name].result.data
        assert [r for r in verify_output(out, sniff(out), targets) if r.check == "picture"] == [], name


def test_verification_catches_a_picture_left_unpainted(redacted: dict[str, Redacted]) -> None:
    targets = targets_for()
    # The redacted DOCX with its pasted scan put back as it was: the text parts are clean.
    with zipfile.ZipFile(io.BytesIO(redacted["scanned-report.docx"].result.data)) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    with zipfile.ZipFile(io.BytesIO(redacted["scanned-report.docx"].source)) as zf:
        parts["word/media/image1.jpg"] = zf.read("word/media/image1.jpg")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zout:
        for n, blob in parts.items():
            zout.writestr(n, blob)

    docx = verify_output(buffer.getvalue(), "docx", targets)
    pdf = verify_output((OCR / "scanned-letter.pdf").read_bytes(), "pdf", targets)
    photo = verify_output((OCR / "door-photo.jpg").read_bytes(), "image", targets)

    assert {(r.item, r.location.image) for r in docx if r.check == "picture"} >= {
        ("applicant-address", "word/media/image1.jpg"), ("applicant-phone", "word/media/image1.jpg"),
    }
    assert {r.item for r in pdf if r.check == "picture"} == {"applicant-address", "applicant-phone", "child-school"}
    assert ("gps", "image-metadata") in {(r.item, r.location.part) for r in photo if r.check == "picture"}
    assert all("Cherry" not in r.excerpt and "900461" not in r.excerpt for r in docx + pdf)


def test_nothing_is_painted_for_a_recipient_who_may_see_it() -> None:
    data = (REPO / "fixtures" / "files" / "image-only.pdf").read_bytes()
    result = redactor("pdf").redact(data, targets_for("court"))

    assert result.problems == [] and [r for r in result.removals if r.action == "painted"] == []


@pytest.mark.parametrize("read, withheld", [
    ("visited you at l4 Cherry Tree R0ad on Tuesday", "l4 Cherry Tree R0ad"),
    ("mobile O77OO 9OO46l, on our records", "O77OO 9OO46l"),
    ("Flat Z\nl4 Cherry Tree Road\nHeadingIey\nLeeds\nLS6 3EX", "Flat Z\nl4 Cherry Tree Road\nHeadingIey\nLeeds\nLS6 3EX"),
    ("St Mary's C 0f E Primary Schoo1, Horsforth", "St Mary's C 0f E Primary Schoo1, Horsforth"),
], ids=["digit-as-letter", "phone-letters", "address-on-lines", "school"])
def test_ocr_misreadings_are_withheld_like_the_real_spelling(read: str, withheld: str) -> None:
    targets = targets_for()
    spans = targets.find_read(read)

    assert [read[s.start : s.end] for s in spans] == [withheld]


@pytest.mark.parametrize("text", ["The 0ak tree on Mill Road", "I1kley and 5kipton", "Leeds LS1 3BG"])
def test_a_repair_alone_withholds_nothing(text: str) -> None:
    assert targets_for().find_read(text) == []


def test_repairs_map_back_to_the_characters_read() -> None:
    vocabulary = frozenset({"14", "cherry", "road", "07700"})
    text = "at l4 Cherry R0ad or O77OO."
    repaired, starts, ends = repair_misreadings(text, vocabulary)

    assert repaired == "at 14 Cherry road or 07700."
    i = repaired.index("road")
    assert text[starts[i] : ends[i + 3]] == "R0ad"


def _scan_reads_pictures() -> bool:
    return "words" in getattr(Segment, "__dataclass_fields__", {})


@pytest.mark.skipif(not _scan_reads_pictures(), reason="needs the scan side of issue [8] (OCR readers)")
def test_redact_writes_a_verified_scanned_letter(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    report = redactguard.redact([OCR / "scanned-letter-stamped.pdf"], ORDER, "respondent", output=out)

    assert report.exit_code() == 0, [p.to_dict() for d in report.documents for p in d.problems]
    assert {r.action for r in report.documents[0].removals} >= {"painted"}
    assert redactguard.scan([out], order=ORDER, recipient="respondent").exit_code() == 0
