"""PDF redaction on real files from several producers and on every PDF hiding place.

Each case is redacted once (cached); the tests then look for the protected values with three
independent extractors (pypdf, pdfminer.six, poppler's pdftotext), in every object and decoded
stream of the output, check that the rest of the text survives and the file is valid, and compare
renderings: outside the painted boxes the page must not change by a pixel, inside it is dark.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.filters import ASCII85Decode
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import redactguard
from redactguard.readers.pypdf_compat import add_object
from redactguard.redactors import Targets
from redactguard.redactors.pdf import PdfRedactionResult, PdfRedactor

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
REDACTION = FIXTURES / "redaction"
VECTORS = FIXTURES / "vectors"
SAMPLE_ORDER = FIXTURES / "sample-case" / "order.yaml"
VECTOR_ORDER = VECTORS / "order.yaml"

#: Spellings and fragments that must not survive, per order (compared case-folded, and also
#: with all white space removed, so "07700\n900461" counts as the phone).
SAMPLE_FORMS = ("cherry tree", "ls6 3ex", "07700 900461", "900461", "j.ashworth.home", "ashworth.home@")
VECTOR_FORMS = ("cherry tree", "headingley", "ls6 3ex", "j.ashworth.home", "ashworth.home@")

#: Sentences of the redaction fixtures that name no protected value (fixtures/build_redaction.py).
KEPT = (
    "The applicant asks the court to keep her new address confidential.",
    "AVATAR WAVE: Tower Yard, Vale Avenue.",
    "The father will collect Lily from the contact centre on Saturdays.",
    "Hearing at Leeds Combined Court Centre, 1 Oxford Row, Leeds LS1 3BG.",
)
DPI = 100
SCALE = DPI / 72


@dataclass(frozen=True)
class Case:
    path: Path
    order: Path
    #: (item, part, page) of removals the redaction must record
    expected: frozenset[tuple[str, str, int | None]]
    kept: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return SAMPLE_FORMS if self.order == SAMPLE_ORDER else VECTOR_FORMS


ADDRESS, PHONE, EMAIL = "applicant-address", "applicant-phone", "applicant-email"
PRODUCER_CASES = {
    "libreoffice": Case(
        REDACTION / "libreoffice-letter.pdf", SAMPLE_ORDER,
        frozenset({(ADDRESS, "body", 1), (PHONE, "body", 1), (EMAIL, "body", 1)}), KEPT,
    ),
    "reportlab": Case(
        REDACTION / "reportlab-letter.pdf", SAMPLE_ORDER,
        frozenset({(ADDRESS, "body", 1), (ADDRESS, "body", 2), (PHONE, "body", 1), (EMAIL, "body", 1)}), KEPT,
    ),
    "pdfium-type0": Case(
        REDACTION / "pdfium-type0.pdf", SAMPLE_ORDER,
        frozenset({(ADDRESS, "body", 1), (PHONE, "body", 1), (EMAIL, "body", 1)}), KEPT,
    ),
    "police-letter": Case(
        FIXTURES / "sample-case" / "bundle" / "police-letter.pdf", SAMPLE_ORDER,
        frozenset({(ADDRESS, "body", 1)}),
        ("Dear Ms Ashworth,", "Leeds Combined Court Centre, 1", "deleted in line with national guidance"),
    ),
}


def _vector_cases() -> dict[str, Case]:
    rows = csv.DictReader((VECTORS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    cases = {}
    for row in rows:
        if row["format"] != "pdf" or row["expected_item"] == "none":
            continue
        page = int(row["expected_page"]) if row["expected_page"] else None
        expected = frozenset({(row["expected_item"], row["expected_part"], page)})
        cases[row["file"].removesuffix(".pdf")] = Case(VECTORS / row["file"], VECTOR_ORDER, expected)
    return cases


CASES = {**PRODUCER_CASES, **_vector_cases()}


@functools.cache
def targets_for(order: Path, recipient: str = "respondent") -> Targets:
    scanner = redactguard.Scanner(redactguard.load_order(order), recipient, redactguard.ScanOptions(generic=False, model=None))
    return Targets(scanner)


@functools.cache
def redacted(name: str) -> tuple[bytes, PdfRedactionResult]:
    case = CASES[name]
    data = case.path.read_bytes()
    return data, PdfRedactor().redact(data, targets_for(case.order))


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def leaks(text: str, forms: tuple[str, ...]) -> list[str]:
    """The forms found in `text` (case-folded; also with every space removed). Never the text."""
    flat = folded(text)
    bare = re.sub(r"\s+", "", flat)
    return [f for f in forms if f in flat or re.sub(r"\s+", "", f) in bare]


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


def pdftotext_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    run = subprocess.run(["pdftotext", "-q", "-", "-"], input=data, capture_output=True, check=True, timeout=60)
    return run.stdout.decode("utf-8", "replace")


EXTRACTORS = {"pypdf": pypdf_text, "pdfminer": pdfminer_text, "pdftotext": pdftotext_text}


def object_texts(data: bytes) -> list[str]:
    """Every string and decoded stream of every object, as latin-1 and as UTF-16BE text.

    Streams are also found in the raw bytes and inflated, so an object that no cross-reference
    table lists (an earlier revision, an orphan) is searched too.
    Content streams are also read operator by operator, so text written as hex strings or split
    by kerning numbers is joined up before it is searched.
    """
    reader = PdfReader(io.BytesIO(data))
    out: list[str] = []
    chunks: list[bytes] = []

    def walk(obj: Any, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(obj, (TextStringObject, ByteStringObject)):
            chunks.append(obj.original_bytes if isinstance(obj, TextStringObject) else bytes(obj))
            out.append(str(obj))
        elif isinstance(obj, DictionaryObject):
            if hasattr(obj, "get_data"):
                stream = obj.get_data()
                chunks.append(stream)
                if obj.get("/Subtype") not in ("/Image",) and b"T" in stream:
                    try:
                        ops = ContentStream(obj, reader, "bytes").operations
                        joined = b"".join(bytes(x) for operands, _ in ops for o in operands
                                          for x in (o if isinstance(o, ArrayObject) else [o]) if isinstance(x, bytes))
                        chunks.append(joined)
                    except Exception:
                        pass
            for value in obj.values():
                if not hasattr(value, "idnum"):
                    walk(value, depth + 1)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                if not hasattr(value, "idnum"):
                    walk(value, depth + 1)

    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        if obj is not None:
            walk(obj)
    walk(reader.trailer.get("/Info").get_object() if reader.trailer.get("/Info") is not None else None)
    for match in re.finditer(rb"stream\r?\n", data):  # every stream in the bytes, reachable or not
        raw = data[match.end() : data.find(b"endstream", match.end())]
        chunks.append(raw)
        for decode in (lambda b: b, ASCII85Decode.decode):
            try:
                chunks.append(zlib.decompressobj().decompress(decode(raw)))
            except Exception:
                continue
    for chunk in chunks:
        out.append(chunk.decode("latin-1"))
        out.append(chunk[: len(chunk) // 2 * 2].decode("utf-16-be", "replace"))
    return out


# --------------------------------------------------------------------------- every case


@pytest.mark.parametrize("name", list(CASES))
def test_input_bytes_are_unchanged(name: str) -> None:
    before = hashlib.sha256(CASES[name].path.read_bytes()).hexdigest()
    data, _ = redacted(name)
    assert hashlib.sha256(data).hexdigest() == before
    assert hashlib.sha256(CASES[name].path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("name", list(CASES))
def test_removals_are_recorded_and_nothing_is_left_unsafe(name: str) -> None:
    _, result = redacted(name)

    found = {(r.item, r.location.part, r.location.page) for r in result.removals}
    assert CASES[name].expected <= found
    assert result.problems == []
    for removal in result.removals:
        assert not leaks(removal.excerpt + repr(removal.location), CASES[name].forms)


@pytest.mark.parametrize("extractor", list(EXTRACTORS))
@pytest.mark.parametrize("name", list(CASES))
def test_no_protected_text_can_be_extracted(name: str, extractor: str) -> None:
    original, result = redacted(name)
    before = EXTRACTORS[extractor](original)
    after = EXTRACTORS[extractor](result.data)

    assert leaks(after, CASES[name].forms) == []
    for sentence in CASES[name].kept:
        assert folded(sentence) in folded(before)  # the fixture still says what we think
        assert folded(sentence) in folded(after)


@pytest.mark.parametrize("name", list(CASES))
def test_no_protected_text_in_any_object_or_stream(name: str) -> None:
    _, result = redacted(name)

    found = sorted({form for text in object_texts(result.data) for form in leaks(text, CASES[name].forms)})
    assert found == []


@pytest.mark.parametrize("name", list(CASES))
def test_every_line_without_withheld_text_survives(name: str) -> None:
    original, result = redacted(name)
    text = pypdf_text(original)
    spans = targets_for(CASES[name].order).find(text)
    after = folded(pypdf_text(result.data))

    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip() and not any(s.start < end and start < s.end for s in spans):
            assert folded(line) in after


@pytest.mark.parametrize("name", list(CASES))
def test_output_is_one_valid_revision(name: str) -> None:
    _, result = redacted(name)

    assert result.data.count(b"%%EOF") == 1
    assert result.data.count(b"startxref") == 1
    assert b"/Prev" not in result.data[result.data.rindex(b"trailer") :]
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    check = subprocess.run(["qpdf", "--check", "-"], input=result.data, capture_output=True, timeout=60)
    if check.returncode == 2 and b"-" in check.stderr[:200]:  # an old qpdf without stdin support
        check = _qpdf_file(result.data)
    assert check.returncode == 0, check.stdout.decode()[-400:]


def _qpdf_file(data: bytes) -> subprocess.CompletedProcess[bytes]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["qpdf", "--check", tmp.name], capture_output=True, timeout=60)


# --------------------------------------------------------------------------- pixels


def render(data: bytes) -> list[tuple[np.ndarray, tuple[float, float, float, float]]]:
    """Each page as a grey image at DPI (annotations and forms not drawn), with its crop box."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pages = []
    for index in range(len(pdf)):
        page = pdf[index]
        bitmap = page.render(scale=SCALE, draw_annots=False, may_draw_forms=False)
        pages.append((np.asarray(bitmap.to_pil().convert("L"), dtype=np.int16), page.get_cropbox()))
        page.close()
    pdf.close()
    return pages


def to_pixels(box: tuple[float, float, float, float], crop: tuple[float, float, float, float], margin: int) -> tuple[int, int, int, int]:
    left, _bottom, _right, top = crop
    x0, y0, x1, y1 = box
    return (
        math.floor((x0 - left) * SCALE) - margin, math.floor((top - y1) * SCALE) - margin,
        math.ceil((x1 - left) * SCALE) + margin, math.ceil((top - y0) * SCALE) + margin,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_page_is_unchanged_outside_the_boxes_and_dark_inside(name: str) -> None:
    original, result = redacted(name)
    before, after = render(original), render(result.data)

    assert len(before) == len(after)
    for number, ((old, crop), (new, _)) in enumerate(zip(before, after, strict=True), start=1):
        assert old.shape == new.shape
        outside = np.ones(old.shape, dtype=bool)
        height, width = old.shape
        for box in result.boxes.get(number, []):
            x0, y0, x1, y1 = to_pixels(box, crop, 2)
            outside[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = False
            ix0, iy0, ix1, iy1 = to_pixels(box, crop, -1)
            inner = new[max(iy0, 0) : min(iy1, height), max(ix0, 0) : min(ix1, width)]
            if inner.shape[0] >= 2 and inner.shape[1] >= 2:  # inside the crop box
                assert (inner < 100).mean() > 0.6, f"page {number}: a box is not dark"
        changed = (np.abs(old - new) > 32) & outside
        assert changed.mean() < 0.001, f"page {number}: {int(changed.sum())} pixels changed outside the boxes"


# --------------------------------------------------------------------------- particular cases


def test_the_pdf_redactor_is_registered() -> None:
    from redactguard.formats import find, load

    assert load(find("pdf").redactor) is PdfRedactor


def test_removed_glyphs_are_gone_but_labels_are_written() -> None:
    _, result = redacted("reportlab")
    text = pypdf_text(result.data)

    assert text.count("[WITHHELD]") >= 5
    assert "She now lives at" in text and "with the children." in text
    assert {r.action for r in result.removals} == {"replaced"}
    assert all(r.location.bbox is not None for r in result.removals)


def test_a_match_across_the_page_break_is_removed_on_both_pages() -> None:
    _, result = redacted("reportlab")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(result.data)).pages]

    assert "14 Cherry" not in pages[0]
    assert "Tree Road" not in pages[1]
    assert "Headingley, Leeds, and it must not be disclosed." in pages[1]


def test_text_in_a_form_xobject_is_removed_from_the_form_itself() -> None:
    _, result = redacted("reportlab")
    reader = PdfReader(io.BytesIO(result.data))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    forms = [x.get_object() for x in xobjects.values() if x.get_object()["/Subtype"] == "/Form"]

    assert forms
    for form in forms:
        shown = b"".join(
            bytes(x) for operands, op in ContentStream(form, reader, "bytes").operations if op in (b"Tj", b"TJ")
            for x in (operands[0] if op == b"TJ" else operands) if isinstance(x, bytes)
        )
        assert b"ashworth" not in shown
        assert b"Replies to" in shown and b"only, please." in shown


def test_nothing_changes_for_a_recipient_who_may_see_everything() -> None:
    data = (REDACTION / "libreoffice-letter.pdf").read_bytes()
    result = PdfRedactor().redact(data, targets_for(SAMPLE_ORDER, "court"))

    assert (result.removals, result.problems, result.boxes) == ([], [], {})
    assert folded(pypdf_text(result.data)) == folded(pypdf_text(data))


def test_attachments_holding_withheld_text_are_removed_whole() -> None:
    for name in ("pdf-embedded-file", "pdf-file-attachment-annotation"):
        _, result = redacted(name)
        reader = PdfReader(io.BytesIO(result.data))

        assert [r.action for r in result.removals if r.location.part == "attachment"] == ["removed"]
        assert not reader.attachments
        assert all(a.get_object().get("/Subtype") != "/FileAttachment" for a in reader.pages[0].get("/Annots") or [])


def test_form_field_value_is_replaced_and_its_appearance_dropped() -> None:
    _, result = redacted("pdf-form-field")
    fields = PdfReader(io.BytesIO(result.data)).get_fields() or {}

    values = [str(f.get("/V")) for f in fields.values() if f.get("/V") is not None]
    assert values == ["[WITHHELD]"]


def test_earlier_revision_is_recorded_and_gone() -> None:
    original, result = redacted("pdf-previous-revision")

    assert original.count(b"%%EOF") == 2
    assert [(r.location.part, r.action) for r in result.removals] == [("previous-revision", "removed")]


def test_reason_labels() -> None:
    data = (REDACTION / "pdfium-type0.pdf").read_bytes()
    targets = Targets(targets_for(SAMPLE_ORDER).scanner, label="reason")
    result = PdfRedactor().redact(data, targets)

    assert "[WITHHELD: FPR 29.1 / form C8]" in pypdf_text(result.data)
    assert result.problems == []


def test_a_picture_without_a_text_layer_is_painted_in_its_pixels() -> None:
    # Issue [8]: no longer a problem; the picture's words are painted out (tests/redactors/test_pictures.py).
    data = (FIXTURES / "files" / "image-only.pdf").read_bytes()
    result = PdfRedactor().redact(data, targets_for(SAMPLE_ORDER))

    assert result.problems == []
    assert {(r.item, r.action, r.location.part, r.location.page) for r in result.removals} == {
        ("applicant-address", "painted", "image", 1), ("applicant-phone", "painted", "image", 1),
    }


def _one_page_pdf(content: bytes, fonts: dict[str, DictionaryObject]) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject(k): add_object(writer, v) for k, v in fonts.items()}),
    })
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = add_object(writer, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_in_a_type3_font_without_a_character_map_is_a_problem() -> None:
    glyph = DecodedStreamObject()
    glyph.set_data(b"500 0 0 0 500 700 d1 0 0 500 700 re f")
    type3 = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type3"),
        NameObject("/FontBBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(500), NumberObject(700)]),
        NameObject("/FontMatrix"): ArrayObject([NumberObject(n) for n in (0.001, 0, 0, 0.001, 0, 0)]),
        NameObject("/CharProcs"): DictionaryObject({NameObject("/g1"): glyph}),
        NameObject("/Encoding"): DictionaryObject({NameObject("/Differences"): ArrayObject([NumberObject(1), NameObject("/g1")])}),
        NameObject("/FirstChar"): NumberObject(1), NameObject("/LastChar"): NumberObject(1),
        NameObject("/Widths"): ArrayObject([NumberObject(500)]),
    })
    content = b"BT /F1 12 Tf 72 700 Td (Ordinary text that can be checked.) Tj /T3 12 Tf 72 680 Td <010101> Tj ET"
    data = _one_page_pdf(content, {"/F1": helvetica(), "/T3": type3})
    result = PdfRedactor().redact(data, targets_for(SAMPLE_ORDER))

    assert [(p.code, p.page) for p in result.problems] == [("unsupported_part", 1)]
    assert "Type 3" in result.problems[0].message


def helvetica() -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })


def test_marked_content_replacement_text_is_dropped() -> None:
    content = (
        b"BT /F1 11 Tf 72 700 Td /Span <</ActualText (14 Cherry Tree Road)>> BDC (the address) Tj EMC"
        b" ( is withheld.) Tj 0 -20 Td /Span <</ActualText (Ring 07700 900461)>> BDC (Ring 07700 900461) Tj EMC ET"
    )
    data = _one_page_pdf(content, {"/F1": helvetica()})
    result = PdfRedactor().redact(data, targets_for(SAMPLE_ORDER))

    assert result.problems == []
    assert sorted((r.item, str(r.location.detail)) for r in result.removals) == [
        (ADDRESS, "ActualText"), (PHONE, "ActualText"), (PHONE, "None"),
    ]
    assert sorted({f for text in object_texts(result.data) for f in leaks(text, SAMPLE_FORMS)}) == []
    assert "the address is withheld." in pypdf_text(result.data)


def test_tj_quote_operators_and_text_state_are_handled() -> None:
    content = (
        b"q 1 0 0 1 20 0 cm BT /F1 11 Tf 14 TL 52 760 Td (Her phone is) Tj"
        b" (07700 900461, call after six.) ' 2 0.5 (Post to 14 Cherry Tree Road, Headingley, Leeds LS6 3EX today.) \""
        b" 0 Tw 0 Tc T* (The rest stays where it is.) Tj ET Q"
    )
    data = _one_page_pdf(content, {"/F1": helvetica()})
    result = PdfRedactor().redact(data, targets_for(SAMPLE_ORDER))
    text = pypdf_text(result.data)

    assert result.problems == []
    assert leaks(text, SAMPLE_FORMS) == []
    assert "call after six." in text and "The rest stays where it is." in text and "today." in text
    old, new = render(data)[0][0], render(result.data)[0][0]
    outside = np.ones(old.shape, dtype=bool)
    for box in result.boxes[1]:
        x0, y0, x1, y1 = to_pixels(box, (0, 0, 595, 842), 2)
        outside[y0:y1, x0:x1] = False
    assert ((np.abs(old - new) > 32) & outside).sum() == 0


def _appearance(writer: PdfWriter, content: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200), NumberObject(20)]),
        NameObject("/Resources"): DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/Helv"): add_object(writer, helvetica())}),
        }),
    })
    return add_object(writer, stream)


def test_annotation_and_widget_appearances_and_rich_text_are_cleaned() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    rect = ArrayObject([NumberObject(n) for n in (72, 700, 272, 720)])
    note = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FreeText"),
        NameObject("/Rect"): rect, NameObject("/Contents"): TextStringObject("See the note."),
        NameObject("/RC"): TextStringObject("<body><p>Lives at <b>14 Cherry</b> Tree Road</p></body>"),
        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g"),
        NameObject("/AP"): DictionaryObject({
            NameObject("/N"): _appearance(writer, b"BT /Helv 9 Tf 2 6 Td (Lives at 14 Cherry Tree Road) Tj ET"),
        }),
    })
    widget = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("phone"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 650, 272, 670)]),
        NameObject("/V"): TextStringObject("07700 900461"),
        NameObject("/AP"): DictionaryObject({
            NameObject("/N"): _appearance(writer, b"/Tx BMC BT /Helv 9 Tf 2 6 Td (07700 900461) Tj ET EMC"),
        }),
    })
    refs = [add_object(writer, note), add_object(writer, widget)]
    page[NameObject("/Annots")] = ArrayObject(refs)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([refs[1]]), NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g"),
    })
    out = io.BytesIO()
    writer.write(out)
    result = PdfRedactor().redact(out.getvalue(), targets_for(SAMPLE_ORDER))
    reader = PdfReader(io.BytesIO(result.data))
    annots = [a.get_object() for a in reader.pages[0]["/Annots"]]

    assert result.problems == []
    assert sorted((r.item, r.location.part, str(r.location.detail), r.action) for r in result.removals) == [
        (ADDRESS, "annotation", "RC", "removed"),
        (ADDRESS, "annotation", "appearance", "removed"),
        (PHONE, "form-field", "V", "replaced"),
        (PHONE, "form-field", "appearance", "removed"),
    ]
    assert [a.get("/AP") for a in annots] == [None, None]
    assert annots[0]["/Contents"] == "See the note." and "/RC" not in annots[0]
    assert annots[1]["/V"] == "[WITHHELD]"
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"].value is True
    assert sorted({f for text in object_texts(result.data) for f in leaks(text, SAMPLE_FORMS)}) == []


def test_strings_and_scripts_anywhere_in_the_file_are_cleaned() -> None:
    content = b"BT /F1 11 Tf 72 700 Td (Nothing withheld on the page itself.) Tj ET"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_one_page_pdf(content, {"/F1": helvetica()}))))
    script = DecodedStreamObject()
    script.set_data(b"app.alert('Ring her on 07700 900461');")
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): add_object(writer, script)})
    root = writer._root_object
    root[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("greeting"), add_object(writer, action)]),
    })})
    figure = DictionaryObject({
        NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Figure"),
        NameObject("/Alt"): TextStringObject("Photo of the house at 14 Cherry Tree Road, Headingley"),
    })
    root[NameObject("/StructTreeRoot")] = DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): add_object(writer, figure),
    })
    writer.pages[0][NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Editor"): DictionaryObject({
        NameObject("/Private"): TextStringObject("j.ashworth.home@example.org"),
    })})
    out = io.BytesIO()
    writer.write(out)
    result = PdfRedactor().redact(out.getvalue(), targets_for(SAMPLE_ORDER))

    assert result.problems == []
    assert sorted((r.item, r.location.part, str(r.location.detail)) for r in result.removals) == [
        (ADDRESS, "metadata", "Alt"), (PHONE, "metadata", "JavaScript"),
    ]
    assert sorted({f for text in object_texts(result.data) for f in leaks(text, SAMPLE_FORMS)}) == []
    assert "Nothing withheld on the page itself." in pypdf_text(result.data)


# --------------------------------------------------------------------------- real-world corpus (opt-in)

CORPUS = REPO.parent / "shared" / "data" / "corpus" / "pdf"


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.pdf") if p.stat().st_size < 1_000_000)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/data/corpus is not present")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_corpus_phrase_is_removed_or_the_redaction_fails_closed(path: Path, tmp_path: Path) -> None:
    """A phrase of each real-world PDF's own text, withheld: gone from the output, or a problem."""
    import yaml

    from redactguard.errors import UnreadableDocument

    data = path.read_bytes()
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in list(reader.pages)[:5])
    except Exception:
        pytest.skip("pypdf cannot read it")
    pairs = re.findall(r"(?=\b([A-Za-z]{4,}[ \n][A-Za-z]{4,})\b)", text)
    if not pairs:
        pytest.skip("no text to withhold")
    phrase = pairs[len(pairs) // 2].replace("\n", " ")
    order = tmp_path / "order.yaml"
    order.write_text(yaml.safe_dump({
        "redactguard": 1, "case": "X", "parties": {"a": {}, "b": {}},
        "protected": [{"id": "phrase", "kind": "text", "value": phrase, "withhold_from": ["b"]}],
    }))
    targets = Targets(redactguard.Scanner(redactguard.load_order(order), "b", redactguard.ScanOptions(generic=False, model=None)))
    scan = targets.scanner.scan_bytes(data, path.name)
    if scan.problems:
        pytest.skip("the scanner cannot read it fully, so redaction would not be attempted")
    try:
        result = PdfRedactor().redact(data, targets)
    except UnreadableDocument:
        return
    if result.problems:
        return  # failed closed: the output would not be kept
    assert bool(result.removals) >= bool(scan.findings)
    assert targets.find(pypdf_text(result.data)) == []
    if shutil.which("pdftotext"):
        assert targets.find(pdftotext_text(result.data)) == []


def test_text_in_a_form_that_is_never_painted_is_removed_too() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_one_page_pdf(
        b"BT /F1 11 Tf 72 700 Td (A page that paints no form.) Tj ET", {"/F1": helvetica()},
    ))))
    form = DecodedStreamObject()
    form.set_data(b"BT /F1 9 Tf 0 0 Td (Old letterhead: 14 Cherry Tree Road, Headingley) Tj ET")
    form.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(300), NumberObject(20)]),
    })
    resources = writer.pages[0]["/Resources"]
    resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Fx0"): add_object(writer, form)})
    out = io.BytesIO()
    writer.write(out)
    result = PdfRedactor().redact(out.getvalue(), targets_for(SAMPLE_ORDER))

    assert result.problems == [] and result.boxes == {}
    assert [(r.item, r.location.part, r.location.page) for r in result.removals] == [(ADDRESS, "body", 1)]
    assert sorted({f for text in object_texts(result.data) for f in leaks(text, SAMPLE_FORMS)}) == []
