"""The HTML reader: the text a browser shows, and every hidden place read as its own part."""

from __future__ import annotations

import base64
import html

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from redactguard.document import Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.html import html_pieces, html_to_text
from redactguard.readers.html_attrs import decode_html


def flat(text: str) -> str:
    return " ".join(text.split())


def read(html: str) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="page.html")
    return list(read_document(html.encode("utf-8"), ctx, "html")), ctx


@pytest.mark.parametrize(
    "html, shown",
    [
        pytest.param("<p>14 Cherry <b>Tree</b> Road</p>", "14 Cherry Tree Road", id="inline-tag-between-words"),
        pytest.param("<p>14&nbsp;Cherry&#160;Tree&#x20;Road</p>", "14 Cherry Tree Road", id="entities"),
        pytest.param("<p>Ch<span>er</span>ry</p>", "Cherry", id="inline-tag-inside-a-word"),
        pytest.param("<p>Cherry<wbr>Tree</p>", "CherryTree", id="wbr-is-no-space"),
        pytest.param("<p>St Mary&rsquo;s &amp; St John&apos;s</p>", "St Mary’s & St John's", id="named-entities"),
        pytest.param("<p>LS6 3EX &pound5", "LS6 3EX £5", id="entity-without-semicolon"),
    ],
)
def test_visible_text_is_joined_as_a_browser_shows_it(html: str, shown: str) -> None:
    assert flat(html_to_text(html)) == shown


def test_block_tags_break_lines_and_inline_tags_do_not() -> None:
    text = html_to_text("<div>Flat 2</div><p>14 Cherry <em>Tree</em> Road<br>Leeds</p><table><tr><td>a</td><td>b</td></tr></table>")
    lines = [line for line in text.split("\n") if line.strip()]

    assert lines == ["Flat 2", "14 Cherry Tree Road", "Leeds", "a", "b"]


@pytest.mark.parametrize(
    "html, part, detail",
    [
        pytest.param('<div style="display:none">SECRET</div>', "hidden-text", "display:none", id="display-none"),
        pytest.param('<span style="visibility: hidden">SECRET</span>', "hidden-text", "visibility:hidden", id="visibility-hidden"),
        pytest.param('<span style="font-size:0">SECRET</span>', "hidden-text", "font-size:0", id="font-size-0"),
        pytest.param("<p hidden>SECRET</p>", "hidden-text", "hidden", id="hidden-attribute"),
        pytest.param("<style>.x{display:none}</style><span class=x>SECRET</span>", "hidden-text", "style sheet", id="hidden-by-class"),
        pytest.param("<template><p>SECRET</p></template>", "hidden-text", "template", id="template"),
        pytest.param("<!-- SECRET -->", "comment", None, id="comment"),
        pytest.param("<!--[if mso]><p>SE<b>CRET</b></p><![endif]-->", "comment", None, id="conditional-comment-markup-read"),
        pytest.param('<abbr title="SECRET">x</abbr>', "hidden-text", "title", id="title-attribute"),
        pytest.param('<img alt="SECRET" src="a.png">', "image", "alt", id="alt-text"),
        pytest.param('<a href="mailto:SECRET%40example.org">x</a>', "link", "href", id="href-percent-decoded"),
        pytest.param('<input type="hidden" value="SECRET">', "hidden-text", "hidden input", id="hidden-input"),
        pytest.param('<input value="SECRET">', "form-field", "value", id="input-value"),
        pytest.param('<div data-note="SECRET here">x</div>', "hidden-text", "data attribute", id="data-attribute"),
        pytest.param('<button onclick="alert(\'SECRET\')">x</button>', "hidden-text", "script", id="event-handler"),
        pytest.param("<script>var a = 'SECRET';</script>", "hidden-text", "script", id="script"),
        pytest.param('<script type="application/ld+json">{"name": "SECRET"}</script>', "hidden-text", "script", id="json-ld"),
        pytest.param('<style>p::before { content: "SECRET" }</style>', "hidden-text", "style", id="css-generated-content"),
        pytest.param("<title>SECRET</title>", "metadata", "title", id="title"),
        pytest.param('<meta name="author" content="SECRET">', "metadata", "meta author", id="meta-author"),
        pytest.param('<meta name="x-custom" content="SECRET">', "metadata", "meta", id="meta-other"),
        pytest.param("<j.secret@example.org> wrote", "hidden-text", "unknown tag", id="unknown-tag-source"),
        pytest.param("<?php echo 'SECRET'; ?>", "hidden-text", "processing instruction", id="processing-instruction"),
        pytest.param('<span aria-label="SECRET">x</span>', "hidden-text", "attribute", id="aria-label"),
    ],
)
def test_hidden_places_are_read_as_their_own_part(html: str, part: str, detail: str | None) -> None:
    segments, ctx = read(html)
    where = [(s.location.part, s.location.detail) for s in segments if "SECRET" in s.text.upper()]

    assert ctx.problems == []
    assert where == [(part, detail)]


def test_hidden_text_does_not_split_the_visible_text() -> None:
    """E-mail obfuscation: a hidden span inside an address is not part of what a reader sees."""
    pieces = html_pieces('<p>j.ashworth.home<span style="display:none">NOSPAM</span>@example.org</p>').pieces

    assert flat(pieces[0].text) == "j.ashworth.home@example.org"
    assert [(p.part, p.text) for p in pieces[1:]] == [("hidden-text", "NOSPAM")]


def test_style_sheet_words_are_not_document_text() -> None:
    segments, _ = read("<style>body { font-family: Arial; margin: 2em }</style><p>Hello</p>")

    assert "Arial" not in " ".join(s.text for s in segments)


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<p>ok</p><script>var phone = '07700 900461';", id="unclosed-script"),
        pytest.param("<p>ok</p><!-- 07700 900461", id="unclosed-comment"),
        pytest.param("<p>ok</p><div style='display:none'>07700 900461", id="unclosed-hidden-element"),
        pytest.param('<p title="07700 900461', id="unclosed-attribute"),
    ],
)
def test_nothing_is_dropped_at_a_cut_short_end(html: str) -> None:
    segments, _ = read(html)

    assert "07700 900461" in " ".join(s.text for s in segments)


def test_data_uri_is_read_as_an_attachment() -> None:
    note = base64.b64encode(b"Flat 2, 14 Cherry Tree Road").decode("ascii")
    segments, ctx = read(f'<p>see</p><a href="data:text/plain;base64,{note}">note</a>')
    inside = [s for s in segments if s.location.part == "attachment" and s.location.inner and s.location.inner.part == "body"]

    assert ctx.problems == []
    assert [s.text for s in inside] == ["Flat 2, 14 Cherry Tree Road"]
    assert "base64" not in " ".join(s.text for s in segments if s.location.part == "link")


def test_iframe_srcdoc_is_parsed_as_html() -> None:
    pieces = html_pieces('<iframe srcdoc="&lt;p&gt;14 Cherry &lt;b&gt;Tree&lt;/b&gt; Road&lt;/p&gt;"></iframe>').pieces

    assert [(p.part, flat(p.text)) for p in pieces if "Cherry" in p.text] == [("body", "14 Cherry Tree Road")]


@pytest.mark.parametrize(
    "data, text",
    [
        pytest.param(b'<meta charset="windows-1252"><p>caf\xe9</p>', "café", id="meta-charset"),
        pytest.param(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>\x93caf\xe9\x94</p>', "“café”", id="latin-1-read-as-cp1252"),
        pytest.param("<p>café</p>".encode("utf-16"), "café", id="utf-16-bom"),
        pytest.param('<meta charset="utf-8"><p>caf\xe9</p>'.encode("latin-1"), "café", id="wrong-declaration"),
    ],
)
def test_page_encoding(data: bytes, text: str) -> None:
    assert text in html_to_text(decode_html(data))


def test_piece_repr_never_shows_text() -> None:
    piece = html_pieces("<p>07700 900461</p>").pieces[0]

    assert "07700" not in repr(piece)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
    tags=st.lists(st.sampled_from(["b", "i", "span", "em", "strong", "a", "font", "u"]), min_size=6, max_size=6),
)
def test_text_split_by_inline_tags_reads_back_whole(text: str, cuts: list[int], tags: list[str]) -> None:
    """Any text, escaped and cut anywhere by inline tags, is shown (and read) as it was."""
    assume(text.strip())  # white space alone is no piece
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = [html.escape(text[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    page = "<p>" + "".join(f"<{t}>{p}</{t}>" for t, p in zip(tags, pieces, strict=False)) + "".join(pieces[len(tags):]) + "</p>"

    assert html_to_text(page).strip("\n") == text
