"""What the reader of a PDF page sees, not what one extractor returns (issue [10]).

The fixtures in fixtures/layers (built by fixtures/build_layers.py with reportlab, fontTools and
LibreOffice) each show the sample case's address to a person while the content stream lies about
it: glyphs drawn in shuffled order, a font whose character map is permuted, letters drawn as
filled outlines, an address split across a page break under a running header and footer. The
controls (Welsh, a table of reference numbers, a form, a vector logo) must read as ordinary text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import redactguard
from redactguard.readers import ReadContext, read_document
from redactguard.readers.pdf_layout import is_page_number, running_key
from redactguard.readers.pdf_trust import judge_language

LAYERS = Path(__file__).resolve().parents[2] / "fixtures" / "layers"
ORDER = Path(__file__).resolve().parents[2] / "fixtures" / "sample-case" / "order.yaml"


@pytest.fixture(scope="module")
def order() -> redactguard.Order:
    return redactguard.load_order(ORDER)


def scan(order: redactguard.Order, name: str, **options: object) -> redactguard.DocumentResult:
    report = redactguard.scan([str(LAYERS / name)], order, recipient="respondent", generic=False, model=None, **options)
    (document,) = report.documents
    return document


@pytest.mark.parametrize(
    "name, part, page",
    [
        pytest.param("shuffled-glyphs.pdf", "body", 1, id="glyphs-and-words-drawn-in-shuffled-order"),
        pytest.param("permuted-cmap.pdf", "image", 1, id="font-whose-character-map-lies"),
        pytest.param("outlined-text.pdf", "image", 1, id="letters-drawn-as-outlines"),
        pytest.param("page-break.pdf", "body", 1, id="address-split-across-a-page-break"),
    ],
)
def test_what_the_page_shows_is_blocked(order: redactguard.Order, name: str, part: str, page: int) -> None:
    document = scan(order, name)

    assert document.status == "blocked"
    assert document.problems == ()
    address = [f for f in document.findings if f.item == "applicant-address" and f.severity == "block"]
    assert address, "the address a person reads is not found"
    assert (address[0].location.part, address[0].location.page) == (part, page)


def test_a_fact_split_across_a_page_break_says_where_it_continues(order: redactguard.Order) -> None:
    document = scan(order, "page-break.pdf")

    (finding,) = [f for f in document.findings if f.item == "applicant-address"]
    assert finding.location.page == 1
    assert finding.location.detail == "continues on page 2"
    assert finding.to_dict()["location"] == {"part": "body", "page": 1, "field": "continues on page 2"}


def test_running_header_footer_and_page_number_leave_the_body_flow() -> None:
    ctx = ReadContext(name="page-break.pdf")
    segments = list(read_document((LAYERS / "page-break.pdf").read_bytes(), ctx, "pdf"))
    body = [s for s in segments if s.flow == "body"]
    running = [s for s in segments if s.flow == "running"]

    assert [s.location.page for s in body] == [1, 2]
    assert body[0].text.rstrip().endswith("14 Cherry")
    assert body[1].text.startswith("Tree Road, Headingley")
    assert all(s.location.part == "body" for s in running)  # still checked, as body text
    assert "Family Court" in running[0].text and "Page 1" in running[0].text


@pytest.mark.parametrize("name", ["welsh-paragraph.pdf", "reference-table.pdf", "form-page.pdf", "vector-logo.pdf"])
def test_ordinary_pages_are_clean_and_need_no_ocr(order: redactguard.Order, name: str) -> None:
    ctx = ReadContext(name=name)
    list(read_document((LAYERS / name).read_bytes(), ctx, "pdf"))
    document = scan(order, name)

    assert ctx.ocr_pictures == 0 and ctx.notes == []
    assert (document.status, document.problems, document.findings) == ("clean", (), ())


def test_an_untrusted_text_layer_fails_closed_when_ocr_is_off(order: redactguard.Order) -> None:
    document = scan(order, "permuted-cmap.pdf", ocr="never")

    assert document.status == "unreadable"
    assert [(p.code, p.page) for p in document.problems] == [("no_text_layer", 1)]
    assert "not language" in document.problems[0].message


def test_writing_drawn_as_outlines_fails_closed_when_ocr_is_off(order: redactguard.Order) -> None:
    document = scan(order, "outlined-text.pdf", ocr="never")

    assert document.status == "unreadable"
    assert [(p.code, p.page) for p in document.problems] == [("no_text_layer", 1)]


def test_the_report_says_how_a_page_was_read(order: redactguard.Order) -> None:
    document = scan(order, "permuted-cmap.pdf")

    assert document.notes and document.notes[0].startswith("page 1 was read by OCR: its text layer is not language")
    assert "Cherry" not in " ".join(document.notes)


ENGLISH = (
    "I am the children's guardian appointed for Lily in these proceedings. I make this statement from my own "
    "knowledge and from the papers filed with the court, which I have read in full. Where I rely on what others "
    "have told me, I say so and give the source. Since my appointment I have met Lily three times: twice at the "
    "contact centre and once at school, with the agreement of her head teacher. I have spoken to both parents, "
    "to the allocated social worker and to the health visitor, and I have read the school's reports."
)


def _shifted(text: str, by: int) -> str:
    """Lower-case letters moved `by` code points, as a print driver's private encoding gives them."""
    return "".join(chr(ord(c) + by) if "a" <= c <= "z" else c for c in text)


def _rotated(text: str) -> str:
    return "".join(chr((ord(c) - 97 + 1) % 26 + 97) if "a" <= c <= "z" else c for c in text)


@pytest.mark.parametrize(
    "text, language",
    [
        pytest.param("The child was seen at home and appeared settled. Contact took place on the agreed day "
                     "and the social worker reported that attendance had improved over the term.", True, id="english"),
        pytest.param("Mae'r llys wedi trefnu gwrandawiad yn yr achos hwn. Rhaid i chi ddod i'r llys ar y dyddiad "
                     "a'r amser a nodir uchod. Gallwch siarad Cymraeg neu Saesneg yn y llys, a bydd cyfieithydd.",
                     True, id="welsh"),
        pytest.param("ZW24C00123 LS-2024-0042 999 012 3456 02/09/2024 GP-7731-R DAT-24-88105 HSA/24/3392 "
                     "WYP/DU/2025/0117 KFL/MA/0931 £1,250.00 £985.50 A1 A2 B1 B2 C1 C2 D1 D2", True, id="codes"),
        pytest.param("Ip: Oa Qetp Rajsdlkj, Jwek 3, Gjplln Klpp Ideg, Ppegmtfwpn, Zppga. Y slmkp ek kjp lpuzpak "
                     "di Oa Rajsdlkj, sjd jea yppt lpfmakplpg smkj kjma qlexkmxp amtxp Hdbpvypl, sjpt ajp vdbpg",
                     False, id="letters-a-permuted-map-gives"),
        pytest.param("\ue001\ue002\ue003 \ue004\ue005\ue006 \ue007\ue008 \ue009\ue00a\ue00b", False, id="private-use"),
        pytest.param(ENGLISH, True, id="a-paragraph-of-english"),
        pytest.param(ENGLISH.upper(), True, id="the-same-in-capitals"),
        pytest.param(_rotated(ENGLISH), False, id="each-letter-one-on"),
        pytest.param(_shifted(ENGLISH, -29), False, id="letters-moved-to-capitals"),
    ],
)
def test_language_check(text: str, language: bool) -> None:
    assert judge_language(text).language is language


@pytest.mark.parametrize(
    "line, running",
    [("3", True), ("- 3 -", True), ("Page 3 of 9", True), ("B12", True), ("p. 4", True), ("Tudalen 2", True),
     ("14 Cherry", False), ("Tree Road, Headingley", False), ("Flat 2", False)],
)
def test_page_numbers_and_bundle_references(line: str, running: bool) -> None:
    assert is_page_number(line) is running


def test_running_key_folds_numbers_and_spacing() -> None:
    assert running_key("OFFICIAL - SENSITIVE  Page 1 of 2") == running_key("official - sensitive page 2 of 2")


@pytest.mark.parametrize("form", ["json", "text", "html"])
def test_every_report_format_carries_the_note_and_no_text(order: redactguard.Order, form: str) -> None:
    from redactguard.report import render

    report = redactguard.scan([str(LAYERS / "outlined-text.pdf")], order, recipient="respondent", generic=False, model=None)
    shown = render(report, form)

    assert "was read by OCR" in shown
    assert "Cherry" not in shown and "900461" not in shown
