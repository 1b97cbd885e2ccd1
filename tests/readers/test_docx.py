"""DOCX reader: body paragraphs and table cells in document order, and damaged packages."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from redactguard.document import Location, Segment
from redactguard.readers import ReadContext, read_document


def read(path: Path) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name=path.name)
    return list(read_document(path.read_bytes(), ctx, "docx")), ctx


def body_texts(segments: list[Segment]) -> list[str]:
    """The body's paragraphs and cells, in order (segment ends and trailing breaks ignored)."""
    return [s.text.strip() for s in segments if s.location.part == "body" and s.text.strip()]


def body_flows(segments: list[Segment]) -> set[str]:
    return {s.flow for s in segments if s.location.part == "body"}


def test_paragraphs_then_table_cells_in_order(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "simple.docx")

    assert ctx.problems == []
    assert ctx.pages is None  # DOCX has no fixed pages
    assert body_texts(segments) == [
        "The mother can be reached on 07700 900461 during working hours.",
        "Lily attends",
        "St Mary's C of E Primary School, Horsforth",
        "Year group",
        "Year 2",
        "End of note.",
    ]
    body = [s.location for s in segments if s.location.part == "body"]
    assert set(body) == {Location(part="body")}
    assert len(body_flows(segments)) == 1  # one flow: matching runs from paragraph into table


def test_address_split_over_two_table_cells_stays_adjacent(bundle_dir: Path) -> None:
    segments, ctx = read(bundle_dir / "social-work-report.docx")
    texts = body_texts(segments)

    assert ctx.problems == []
    i = texts.index("14 Cherry")
    assert texts[i + 1] == "Tree Road, Headingley"
    assert len(body_flows(segments)) == 1  # one flow, so matching crosses the cell boundary
    assert (
        "Lily attends St Mary's C of E Primary School, Horsforth, where her class teacher"
        in texts[texts.index("3. Education and health") + 1]
    )


def test_nested_table_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before the table.")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Outer cell"
    inner = outer.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Inner cell text"
    document.add_paragraph("After the table.")
    path = tmp_path / "nested.docx"
    document.save(str(path))

    segments, ctx = read(path)

    assert ctx.problems == []
    texts = body_texts(segments)
    assert texts[0] == "Before the table."
    assert texts[-1] == "After the table."
    assert texts.index("Outer cell") < texts.index("Inner cell text")


def test_tab_and_line_break_inside_a_paragraph_become_white_space(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("14 Cherry")
    run.add_break()
    run.add_text("Tree Road")
    run.add_tab()
    run.add_text("Headingley")
    path = tmp_path / "breaks.docx"
    document.save(str(path))

    segments, _ = read(path)

    assert body_texts(segments) == ["14 Cherry\nTree Road\tHeadingley"]


def test_docx_with_broken_main_part_is_corrupt(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "corrupt.docx")

    assert segments == []
    assert [p.code for p in ctx.problems] == ["corrupt"]


def test_zip_that_is_not_a_docx_package_is_corrupt(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/readme.txt", "not a Word document")

    segments, ctx = read(path)

    assert segments == []
    assert [p.code for p in ctx.problems] == ["corrupt"]


VECTORS = Path(__file__).resolve().parents[2] / "fixtures" / "vectors"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def _repackaged(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            renamed, body = change(name, src.read(name))
            dst.writestr(renamed, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "declared",
    [
        "image/png",
        _WML + "styles+xml",
        _WML + "fontTable+xml",
        "application/vnd.openxmlformats-package.relationships+xml",
        "application/x-font-ttf",
    ],
)
def test_a_header_declared_as_something_else_is_still_read(declared: str) -> None:
    """Found by fuzzing: the header was skipped by its content type and the document passed
    clean, though anyone who unzips it reads the address."""
    import re

    def change(name: str, body: bytes) -> tuple[str, bytes]:
        if name == "[Content_Types].xml":
            body = re.sub(rb'(PartName="/word/header1.xml" ContentType=")[^"]*', rb"\g<1>" + declared.encode(), body)
        return name, body

    data = _repackaged((VECTORS / "docx-header.docx").read_bytes(), change)
    ctx = ReadContext(name="disguised.docx")
    segments = list(read_document(data, ctx, "docx"))

    assert any("Cherry Tree" in s.text for s in segments if s.location.part == "header")


def test_text_stored_as_a_picture_is_read() -> None:
    def change(name: str, body: bytes) -> tuple[str, bytes]:
        if name == "word/header1.xml":
            return "word/media/image9.png", body
        return name, body

    data = _repackaged((VECTORS / "docx-header.docx").read_bytes(), change)
    ctx = ReadContext(name="disguised.docx")
    segments = list(read_document(data, ctx, "docx"))

    assert any("Cherry Tree" in s.text for s in segments)


def test_real_pictures_and_layout_parts_add_no_text(files_dir: Path) -> None:
    segments, ctx = read(files_dir / "simple.docx")  # has a JPEG thumbnail, styles, fonts, theme

    assert ctx.problems == []
    assert {s.location.part for s in segments} <= {"body", "metadata", "link"}


@pytest.mark.parametrize("how", ["declared-as-styles", "moved-to-media"])
def test_properties_part_declared_as_layout_or_moved_among_pictures_is_read(how: str) -> None:
    """Found by fuzzing: custom properties skipped by their (false) content type or folder."""
    import re

    def change(name: str, body: bytes) -> tuple[str, bytes]:
        if how == "declared-as-styles" and name == "[Content_Types].xml":
            body = re.sub(rb'(PartName="/docProps/custom.xml" ContentType=")[^"]*', rb"\g<1>" + (_WML + "styles+xml").encode(), body)
        if how == "moved-to-media" and name == "docProps/custom.xml":
            return "word/media/custom.xml", body
        return name, body

    data = _repackaged((VECTORS / "docx-custom-properties.docx").read_bytes(), change)
    ctx = ReadContext(name="disguised.docx")
    segments = list(read_document(data, ctx, "docx"))

    assert any("Cherry Tree" in s.text for s in segments)


def _header_with(xml_change) -> bytes:  # type: ignore[no-untyped-def]
    return _repackaged(
        (VECTORS / "docx-header.docx").read_bytes(),
        lambda n, b: (n, xml_change(b) if n == "word/header1.xml" else b),
    )


def test_properties_declared_as_a_header_are_read_for_all_their_text() -> None:
    """Found by make fuzz: walked as a story, custom properties gave no text and passed clean."""
    import re

    def change(name: str, body: bytes) -> tuple[str, bytes]:
        if name == "[Content_Types].xml":
            body = re.sub(rb'(PartName="/docProps/custom.xml" ContentType=")[^"]*', rb"\g<1>" + (_WML + "header+xml").encode(), body)
        return name, body

    data = _repackaged((VECTORS / "docx-custom-properties.docx").read_bytes(), change)
    ctx = ReadContext(name="disguised.docx")

    assert any("Cherry Tree" in s.text for s in read_document(data, ctx, "docx"))


def test_text_wrapped_in_an_unknown_element_inside_a_run_is_read() -> None:
    """Found by make fuzz: <w:r><w:x><w:t>...</w:t></w:x></w:r> dropped the text."""
    data = _header_with(lambda b: b.replace(b"<w:t>", b"<w:x><w:y><w:t>", 1).replace(b"</w:t>", b"</w:t></w:y></w:x>", 1))
    ctx = ReadContext(name="wrapped.docx")

    assert any("Cherry Tree" in s.text for s in read_document(data, ctx, "docx") if s.location.part == "header")
    assert ctx.problems == []


def test_text_where_the_walker_never_looks_is_a_problem() -> None:
    """The guard behind the walker: w:t under w:sym (skipped as a symbol) is not read, so the
    part is reported instead of passing with that text unchecked."""
    data = _header_with(lambda b: b.replace(b"<w:t>", b'<w:sym w:char="F0E0"><w:t>', 1).replace(b"</w:t>", b"</w:t></w:sym>", 1))
    ctx = ReadContext(name="symbol.docx")
    list(read_document(data, ctx, "docx"))

    assert [p.code for p in ctx.problems] == ["corrupt"]
    assert "header1.xml" in ctx.problems[0].message


def test_every_choice_of_alternate_content_is_read_once() -> None:
    alt = (
        b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        b"<mc:Choice Requires=\"wps\"><w:r><w:t>first choice</w:t></w:r></mc:Choice>"
        b"<mc:Choice Requires=\"v\"><w:r><w:t>second choice</w:t></w:r></mc:Choice>"
        b"<mc:Fallback><w:r><w:t>first choice</w:t></w:r></mc:Fallback></mc:AlternateContent>"
    )
    data = _header_with(lambda b: b.replace(b"</w:p>", alt + b"</w:p>", 1))
    ctx = ReadContext(name="alternate.docx")
    text = " ".join(s.text for s in read_document(data, ctx, "docx"))

    assert text.count("first choice") == 1 and text.count("second choice") == 1
    assert ctx.problems == []
