"""The RTF reader: groups, control words and characters as the RTF specification reads them."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactguard.document import Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.rtf_tokens import BIN, CLOSE, HEX, OPEN, SYMBOL, TEXT, WORD, tokens

MARKUP = Path(__file__).resolve().parents[2] / "fixtures" / "markup"


def _ole1(format_id: int, class_name: bytes, native: bytes = b"") -> bytes:
    """An OLE1 object header ([MS-OLEDS] 2.2.4): version, format, three names, native data."""
    names = b"".join(struct.pack("<I", len(n) + 1) + n + b"\x00" for n in (class_name, b"", b""))
    return struct.pack("<II", 0x0501, format_id) + names + (struct.pack("<I", len(native)) + native if format_id == 2 else b"")


OLE1_LINK = _ole1(1, b"Word.Document.8")
OLE1_STATIC = _ole1(5, b"METAFILEPICT")


def read(rtf: bytes) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="note.rtf")
    return list(read_document(rtf, ctx, "rtf")), ctx


def text_of(rtf: bytes, part: str = "body") -> str:
    segments, _ = read(rtf)
    return "".join(s.text for s in segments if s.location.part == part)


def test_tokens() -> None:
    got = list(tokens(b"{\\rtf1\\b0 Hi\\'e9\\~\\bin3 {}\\x}"))

    assert got == [
        (OPEN, b"{", None), (WORD, b"rtf", 1), (WORD, b"b", 0), (TEXT, b"Hi", None), (HEX, b"\xe9", None),
        (SYMBOL, b"~", None), (BIN, b"{}\\", None), (TEXT, b"x", None), (CLOSE, b"}", None),
    ]


@pytest.mark.parametrize(
    "rtf, text",
    [
        pytest.param(rb"{\rtf1 {\insrsid1 14 Cherry }{\insrsid2 Tree Road}}", "14 Cherry Tree Road", id="word-revision-groups"),
        pytest.param(b"{\\rtf1 14 Cher\r\nry Tree\nRoad}", "14 Cherry TreeRoad", id="line-breaks-in-the-file-are-not-text"),
        pytest.param(rb"{\rtf1\ansi\ansicpg1252 caf\'e9 \'93quoted\'94}", "café “quoted”", id="hex-cp1252"),
        pytest.param(rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}", "Привет", id="hex-ansicpg1251"),
        pytest.param(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}{\f1\fcharset238 Arial CE;}}\f1 \'8akoda \'e8}", "Škoda č", id="font-charset-1250"),
        pytest.param(rb"{\rtf1 St Mary\u8217\'92s}", "St Mary’s", id="unicode-skips-its-fallback"),
        pytest.param(rb"{\rtf1\uc2 caf\u233\'3f\'3fe}", "cafée", id="uc2-skips-two"),
        pytest.param(rb"{\rtf1\uc0 caf\u233 e}", "cafée", id="uc0-skips-nothing"),
        pytest.param(rb"{\rtf1\uc1 caf\u233 xe}", "cafée", id="fallback-as-text"),
        pytest.param(rb"{\rtf1 x\u-10179?\u-8704?y}", "x\U0001f600y", id="surrogate-pair"),
        pytest.param(rb"{\rtf1 a\~b\_c\-d\\e\{f\}}", "a\xa0b\u2011c\u00add\\e{f}", id="control-symbols"),
        pytest.param(rb"{\rtf1 a\tab b\par c\line d\emdash e\rquote}", "a\tb\nc\nd\u2014e\u2019", id="special-characters"),
        pytest.param(b"{\\rtf1 before\\bin5 {\\}x}after}", "beforeafter", id="bin-data-skipped"),
        pytest.param(rb"{\rtf1 a{\*\bkmkstart x}{\*\bkmkend x}b}", "ab", id="bookmarks-do-not-split"),
    ],
)
def test_body_text(rtf: bytes, text: str) -> None:
    assert text_of(rtf) == text


@pytest.mark.parametrize(
    "rtf, part, detail",
    [
        pytest.param(rb"{\rtf1 a{\v SECRET}b}", "hidden-text", None, id="hidden-v"),
        pytest.param(rb"{\rtf1 a{\header \pard SECRET\par}}", "header", None, id="header"),
        pytest.param(rb"{\rtf1 a{\footerf \pard SECRET\par}}", "footer", None, id="first-page-footer"),
        pytest.param(rb"{\rtf1 a{\super\chftn}{\footnote \pard SECRET}}", "footnote", None, id="footnote"),
        pytest.param(rb"{\rtf1 a{\footnote\ftnalt \pard SECRET}}", "endnote", None, id="endnote"),
        pytest.param(rb"{\rtf1 a{\*\annotation{\*\atnref 1}\pard SECRET}}", "comment", None, id="annotation"),
        pytest.param(rb"{\rtf1 a{\*\atnauthor SECRET}\chatn}", "comment", "author", id="annotation-author"),
        pytest.param(rb"{\rtf1{\info{\author SECRET}}a}", "metadata", "info:author", id="info-author"),
        pytest.param(rb"{\rtf1{\info{\*\company SECRET}}a}", "metadata", "info:company", id="info-company"),
        pytest.param(rb"{\rtf1{\*\userprops {\propname Ref}\proptype30{\staticval SECRET}}a}", "metadata", "info:userprops", id="custom-property"),
        pytest.param(rb'{\rtf1{\field{\*\fldinst {HYPERLINK "mailto:SECRET@example.org"}}{\fldrslt {mail}}}}', "link", "field instruction", id="hyperlink-field"),
        pytest.param(rb"{\rtf1 {\field{\*\fldinst { MERGEFIELD SECRET }}{\fldrslt x}}}", "body", "field instruction", id="other-field"),
        pytest.param(rb"{\rtf1 a{\deleted SECRET}b}", "tracked-change", None, id="deleted"),
        pytest.param(rb"{\rtf1 a{\revised SECRET}b}", "tracked-change", None, id="inserted"),
        pytest.param(rb"{\rtf1 {\shp{\*\shpinst{\sp{\sn shapeType}{\sv 202}}{\shptxt \pard SECRET\par}}}}", "textbox", None, id="text-box"),
        pytest.param(rb"{\rtf1 {\shp{\*\shpinst{\sp{\sn wzDescription}{\sv SECRET}}}}}", "image", "shape", id="shape-alt-text"),
        pytest.param(rb"{\rtf1 {\*\ffname x}{\*\ffdeftext SECRET}}", "form-field", "ffdeftext", id="form-field-default"),
        pytest.param(rb"{\rtf1 a{\xe {\v SECRET}}}", "hidden-text", "index entry", id="index-entry"),
        pytest.param(rb"{\rtf1 a{\*\mynewdestination SECRET}}", "hidden-text", "unknown destination", id="unknown-ignorable"),
        pytest.param(rb"{\rtf1 a}SECRET", "hidden-text", "after the document", id="text-after-the-end"),
    ],
)
def test_parts(rtf: bytes, part: str, detail: str | None) -> None:
    segments, ctx = read(rtf)
    where = {(s.location.part, s.location.detail) for s in segments if "SECRET" in s.text}

    assert ctx.problems == []
    assert where == {(part, detail)}


@pytest.mark.parametrize(
    "rtf",
    [
        pytest.param(rb"{\rtf1{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}a}", id="font-and-colour-tables"),
        pytest.param(rb"{\rtf1{\stylesheet{\s1 Heading 1;}{\*\cs10 \additive Default Paragraph Font;}}a}", id="stylesheet"),
        pytest.param(rb"{\rtf1{\*\rsidtbl \rsid1\rsid2}{\*\generator Microsoft Word 16;}a}", id="rsid-table-generator"),
        pytest.param(rb"{\rtf1{\*\listtable{\list{\listlevel{\leveltext \'02\'00.;}}{\listname Bullets;}}}a}", id="list-table"),
        pytest.param(rb"{\rtf1{\*\themedata 504b0304}{\*\datastore 0105}a}", id="hex-blobs"),
    ],
)
def test_tables_are_not_text(rtf: bytes) -> None:
    segments, _ = read(rtf)

    assert [s.text for s in segments] == ["a"]


def test_upr_reads_the_unicode_version_only() -> None:
    assert text_of(rb"{\rtf1 {\upr{ansi one}{\*\ud{unicode one}}}}") == "unicode one"


@pytest.mark.parametrize(
    "rtf, code, words",
    [
        pytest.param(rb"{\rtf1 a{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}b}", "corrupt", "picture 1 cannot be decoded", id="damaged-png"),
        pytest.param(rb"{\rtf1 a{\pict\macpict 0011}b}", "unsupported_part", "picture format", id="mac-pict"),
        pytest.param(rb"{\rtf1 a{\object\objemb{\*\objclass Excel.Sheet.8}{\*\objdata 0105}}b}", "unsupported_part", "no embedded data", id="object-data-cut-short"),
        pytest.param(b"{\\rtf1 a{\\object\\objautlink{\\*\\objdata " + OLE1_LINK.hex().encode() + b"}}b}", "unsupported_part", "linked", id="linked-object"),
        pytest.param(b"{\\rtf1 a{\\object\\objemb{\\*\\objdata " + OLE1_STATIC.hex().encode() + b"}}b}", "unsupported_part", "no embedded data", id="static-object"),
        pytest.param(rb"{\rtf1 a{\b 14 Cherry", "corrupt", "cut short", id="cut-short"),
        pytest.param(b"{\\rtf1 " + b"{" * 10_001 + b"}" * 10_001 + b"}", "limit_exceeded", "deeper", id="nesting-bomb"),
    ],
)
def test_fails_closed(rtf: bytes, code: str, words: str) -> None:
    _, ctx = read(rtf)

    assert [p.code for p in ctx.problems] == [code]
    assert words in ctx.problems[0].message


def test_vector_picture_goes_to_the_metafile_reader() -> None:
    """A damaged EMF: the metafile reader (or, without it, the RTF reader) fails closed on it."""
    _, ctx = read(rb"{\rtf1 a{\pict\emfblip 01000000}b}")

    assert len(ctx.problems) == 1
    assert ctx.problems[0].code in ("corrupt", "unsupported_part")
    assert ctx.problems[0].location is not None and ctx.problems[0].location.image == "picture 1"


def test_text_before_the_damage_is_still_read() -> None:
    segments, _ = read(rb"{\rtf1 a{\b 14 Cherry Tree Road")

    assert "14 Cherry Tree Road" in "".join(s.text for s in segments)


def test_not_rtf_is_corrupt() -> None:
    _, ctx = read(b"plain text")

    assert [p.code for p in ctx.problems] == ["corrupt"]


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:  # as Word writes it: \uN (signed 16-bit, UTF-16 halves) with a one-character fallback
            for unit in range(0, len(ch.encode("utf-16-le")), 2):
                code = int.from_bytes(ch.encode("utf-16-le")[unit : unit + 2], "little")
                out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
)
def test_text_split_across_groups_reads_back_whole(text: str, cuts: list[int]) -> None:
    """Any text, written as Word writes characters and cut into groups anywhere, reads back as it was."""
    assume(text.strip())  # white space alone is no segment
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    groups = "".join("{\\insrsid1 " + _rtf_escape(text[a:b]) + "}" for a, b in zip(bounds, bounds[1:], strict=False))
    rtf = ("{\\rtf1\\ansi\\ansicpg1252\\uc1 " + groups + "}").encode("ascii")

    assert text_of(rtf) == text


# ----------------------------------------------------------------------------- pictures and objects


def _text_png(*lines: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    image = Image.new("L", (1400, 70 * len(lines) + 60), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 30 + 70 * number), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_picture_is_read_by_ocr_and_its_fallback_not_twice() -> None:
    """Word's `\\shppict` PNG is read by OCR; the `\\nonshppict` WMF after it repeats it for old readers."""
    segments, ctx = read((MARKUP / "picture.rtf").read_bytes())
    ocr = " ".join(s.text for s in segments if s.location.part == "image")

    assert ctx.problems == []
    assert "14 Cherry Tree Road" in ocr
    assert {s.location.image for s in segments if s.location.part == "image"} == {"picture 1"}


def test_picture_given_as_bin_data_is_read() -> None:
    png = _text_png("Mobile 07700 900461")
    segments, ctx = read(b"{\\rtf1 a{\\pict\\pngblip\\bin" + str(len(png)).encode() + b" " + png + b"}b}")

    assert ctx.problems == []
    assert "07700 900461" in " ".join(s.text for s in segments if s.location.part == "image")


def test_nonshppict_alone_is_read() -> None:
    """Without a `\\shppict` before it, a `\\nonshppict` picture is the only copy: read."""
    png = _text_png("Mobile 07700 900461").hex().encode()
    segments, _ = read(b"{\\rtf1 a{\\nonshppict{\\pict\\pngblip " + png + b"}}b}")

    assert "900461" in " ".join(s.text for s in segments if s.location.part == "image")


def test_embedded_package_is_read_as_an_attachment() -> None:
    segments, ctx = read((MARKUP / "object.rtf").read_bytes())

    assert ctx.problems == []
    assert "attachment contact-details.docx > body" in {s.location.describe() for s in segments if "900461" in s.text}


def test_object_result_is_read_as_what_is_shown() -> None:
    segments, _ = read(rb"{\rtf1 {\object\objemb{\*\objdata 00}{\result {\b shown text}}}}")

    assert [s.text for s in segments if s.location.part == "body"] == ["shown text"]


def test_ole2_object_with_a_package_stream_is_read() -> None:
    """Word embeds a DOCX as an OLE2 compound file whose `Package` stream is the DOCX."""
    cfb = pytest.importorskip("aspose.email_foss.cfb", reason="aspose-email-foss (test-side CFB writer) is not installed")
    import docx

    document = docx.Document()
    document.add_paragraph("Mobile 07700 900461")
    out = io.BytesIO()
    document.save(out)
    root = cfb.CFBStorage("Root Entry", children=[cfb.CFBStream("Package", out.getvalue())])
    native = cfb.CFBWriter.to_bytes(cfb.CFBDocument(root))
    objdata = _ole1(2, b"Word.Document.12", native)
    segments, ctx = read(b"{\\rtf1 {\\object\\objemb{\\*\\objdata " + objdata.hex().encode() + b"}}}")

    found = {s.location for s in segments if "900461" in s.text}

    assert ctx.problems == []
    assert {(loc.part, (loc.attachment or "").split("/")[0], loc.leaf().part) for loc in found} == {("attachment", "object 1", "body")}


# ----------------------------------------------------------------------------- HTML in RTF (Outlook)

FROMHTML = (
    rb"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}"
    rb"{\*\htmltag19 <html>}{\*\htmltag50 <body>}{\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 14 Cherry }"
    rb"{\*\htmltag84 <b>}\htmlrtf {\b \htmlrtf0 Tree\htmlrtf }\htmlrtf0 {\*\htmltag92 </b>} Road"
    rb"{\*\htmltag72 </p>}{\*\htmltag64 <div style=\"display:none\">}Mobile 07700 900461{\*\htmltag72 </div>}"
    rb"\htmlrtf {\fs20 Shown only without HTML}\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}"
)


def test_encapsulated_html_is_read_as_html() -> None:
    segments, ctx = read(FROMHTML)
    by_part: dict[str, str] = {}
    for s in segments:
        by_part[s.location.part] = by_part.get(s.location.part, "") + s.text

    assert ctx.problems == []
    assert "14 Cherry Tree Road" in " ".join(by_part["body"].split())
    assert "07700 900461" in by_part["hidden-text"]  # display:none in the HTML
    assert "<" not in by_part["body"] + by_part["hidden-text"]


def test_rtf_only_text_is_hidden_text_unless_the_html_shows_it() -> None:
    segments, _ = read(FROMHTML)
    rtf_only = [s.text for s in segments if s.location.detail == "RTF-only text"]

    assert rtf_only == ["Shown only without HTML"]


@pytest.mark.parametrize("name", ["picture.rtf", "object.rtf", "libreoffice-hidden.rtf", "word-style-clean.rtf"])
def test_rtf_fixture_gives_no_generic_finding_on_markup(name: str, order_path: Path) -> None:
    """Control words, tables, picture and object data are not text: with generic detection on,
    no person or address is found that is not one of the order's items. (An embedded
    document's own findings are its reader's: the DOCX python-docx makes names its
    application "Microsoft Macintosh Word", which generic detection takes for a person.)"""
    import redactguard

    (doc,) = redactguard.scan(MARKUP / name, order_path, recipient="respondent").documents
    ours = [f for f in doc.findings if f.location.part != "attachment"]

    assert [f.kind for f in ours if f.item is None and f.kind in ("person", "address")] == []


@pytest.mark.parametrize(
    "name, value, place",
    [
        pytest.param("libreoffice-hidden.rtf", "j.ashworth.home@", "comment", id="libreoffice-comment"),
        pytest.param("libreoffice-hidden.rtf", "900461", "hidden-text", id="libreoffice-hidden-text"),
        pytest.param("libreoffice-hidden.rtf", "Cherry Tree", "image", id="libreoffice-picture"),
        pytest.param("libreoffice.rtf", "900461", "header", id="libreoffice-header"),
    ],
)
def test_libreoffice_rtf_places(name: str, value: str, place: str) -> None:
    path = MARKUP / name
    if not path.exists():
        pytest.skip(f"{name} was not built (LibreOffice missing)")
    segments, ctx = read(path.read_bytes())

    assert ctx.problems == []
    assert place in {s.location.part for s in segments if value in s.text}
