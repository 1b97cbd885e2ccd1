"""The RTF reader: groups, control words and characters as the RTF specification reads them."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactguard.document import Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.rtf_tokens import BIN, CLOSE, HEX, OPEN, SYMBOL, TEXT, WORD, tokens


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
        pytest.param(rb"{\rtf1 a{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}b}", "unsupported_part", "picture", id="picture"),
        pytest.param(rb"{\rtf1 a{\object\objemb{\*\objclass Excel.Sheet.8}{\*\objdata 0105}}b}", "unsupported_part", "embedded object", id="ole-object"),
        pytest.param(rb"{\rtf1 a{\b 14 Cherry", "corrupt", "cut short", id="cut-short"),
        pytest.param(b"{\\rtf1 " + b"{" * 10_001 + b"}" * 10_001 + b"}", "limit_exceeded", "deeper", id="nesting-bomb"),
    ],
)
def test_fails_closed(rtf: bytes, code: str, words: str) -> None:
    _, ctx = read(rtf)

    assert [p.code for p in ctx.problems] == [code]
    assert words in ctx.problems[0].message


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
