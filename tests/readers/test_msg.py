"""Outlook messages: every property, body and attachment read from the MAPI streams, or fail closed.

The fixtures (fixtures/build_msg.py, listed in fixtures/msg/MANIFEST.tsv) each hold the sample
case's values in one place of a message; `clean.msg` fills every place with harmless text. The
corpus's Outlook-made messages (Apache POI's test files) are the real producer's check.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import olefile
import pytest

import redactguard
from redactguard.document import PROBLEM_CODES, Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.base import Limits
from redactguard.readers.sniff import sniff

MSG = Path(__file__).resolve().parents[2] / "fixtures" / "msg"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "corpus" / "msg"

scan = functools.partial(redactguard.scan, generic=False)


def _manifest() -> list[dict[str, str]]:
    with (MSG / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = _manifest()
BLOCKED = [r for r in ROWS if r["expected"] == "blocked"]
FAILS_CLOSED = [r for r in ROWS if r["expected"] == "unreadable"]
CLEAN = [r for r in ROWS if r["expected"] == "clean"]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [r["file"] for r in rows]


def read(name: str, **limits: int) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name=name, limits=Limits(**limits))
    return list(read_document((MSG / name).read_bytes(), ctx)), ctx


def where(segments: list[Segment], value: str) -> set[str]:
    return {s.location.describe() for s in segments if value in s.text}


def test_manifest_lists_every_fixture() -> None:
    assert {r["file"] for r in ROWS} == {p.name for p in MSG.glob("*.msg")}


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_fixture_is_a_compound_file_sniffed_as_msg(row: dict[str, str]) -> None:
    data = (MSG / row["file"]).read_bytes()

    assert olefile.isOleFile(data)
    assert sniff(data) == "msg"


@pytest.mark.parametrize("row", BLOCKED, ids=_ids(BLOCKED))
def test_value_is_found_in_its_place(row: dict[str, str], order_path: Path) -> None:
    (doc,) = scan(MSG / row["file"], order_path, recipient="respondent").documents
    found = {(f.item, f.location.leaf().part) for f in doc.findings if f.severity == "block"}
    expected = {tuple(pair.split("@")) for pair in row["items"].split()}

    assert doc.status == "blocked"
    assert doc.problems == ()
    assert expected <= found


@pytest.mark.parametrize("row", FAILS_CLOSED, ids=_ids(FAILS_CLOSED))
def test_what_cannot_be_read_fails_closed(row: dict[str, str], order_path: Path) -> None:
    (doc,) = scan(MSG / row["file"], order_path, recipient="respondent").documents

    assert doc.status == "unreadable"
    assert [p.code for p in doc.problems] == [row["problem"]]


@pytest.mark.parametrize("row", CLEAN, ids=_ids(CLEAN))
def test_negative_control_is_clean(row: dict[str, str], order_path: Path) -> None:
    (doc,) = scan(MSG / row["file"], order_path, recipient="respondent").documents

    assert doc.problems == ()
    assert doc.findings == ()
    assert doc.status == "clean"


@pytest.mark.parametrize("row", CLEAN, ids=_ids(CLEAN))
def test_generic_findings_are_only_the_addresses_a_message_has(row: dict[str, str], order_path: Path) -> None:
    """With generic detection on, a harmless message's only personal data are its senders' and
    recipients' e-mail addresses: nothing is taken from markup, property names or binary values.
    (The attached DOCX's own properties are the DOCX reader's; tests/readers/test_docx.py.)"""
    (doc,) = redactguard.scan(MSG / row["file"], order_path, recipient="respondent").documents
    ours = [f for f in doc.findings if f.location.attachment != "directions.docx"]

    assert ours
    assert {f.kind for f in ours} == {"email"}
    assert {f.location.leaf().part for f in ours} <= {"header", "metadata"}


@pytest.mark.parametrize(
    "name, value, place",
    [
        pytest.param("subject.msg", "900461", "metadata (subject)", id="subject"),
        pytest.param("recipient.msg", "j.ashworth.home@", "metadata (recipient 2 e-mail address)", id="cc-recipient-storage"),
        pytest.param("headers.msg", "j.ashworth.home@", "header (reply-to)", id="transport-header"),
        pytest.param("named-property.msg", "St Mary", "metadata (property 0x8001)", id="custom-named-property"),
        pytest.param("string8.msg", "St Mary\u2019s", "body", id="string8-in-its-code-page"),
        pytest.param("docx-attachment.msg", "Cherry Tree", "attachment contact-details.docx > body", id="docx-attachment"),
        pytest.param("attached-message.msg", "900461", "attachment Fwd mobile.msg > body", id="attached-message"),
        pytest.param("ole-attachment.msg", "j.ashworth.home@", "attachment contact-details.docx > body", id="ole-package"),
        pytest.param("link-attachment.msg", "900461", "attachment contact-details.docx > link (attachment path)", id="by-reference"),
        pytest.param("smime-signed.msg", "900461", "attachment smime.p7m > body", id="smime-signed"),
    ],
)
def test_location_names_the_place(name: str, value: str, place: str) -> None:
    segments, ctx = read(name)

    assert ctx.problems == []
    assert place in where(segments, value)


def test_html_body_is_read_as_html_not_markup() -> None:
    segments, _ = read("html-body.msg")
    body = " ".join(" ".join(s.text for s in segments if s.location.part == "body").split())

    assert "14 Cherry Tree Road, Headingley, Leeds LS6 3EX" in body
    assert "<b>" not in body and "&nbsp;" not in body


def test_rtf_body_encapsulating_html_reads_the_html() -> None:
    segments, _ = read("rtf-html-body.msg")

    assert where(segments, "j.ashworth.home@example.org") == {"body"}
    assert not [s for s in segments if s.location.part in ("body", "hidden-text") and "<" in s.text]  # no tag is text


def test_named_property_names_are_read() -> None:
    """A custom field's name is the user's text: read, but never put in a location."""
    segments, _ = read("named-property.msg")

    assert {"Keywords", "School"} <= {s.text for s in segments if s.location.detail == "named property name"}


def test_attached_message_too_deep_fails_closed() -> None:
    segments, ctx = read("attached-message.msg", max_depth=0)

    assert [p.code for p in ctx.problems] == ["limit_exceeded"]
    assert ctx.problems[0].location is not None and ctx.problems[0].location.attachment == "Fwd mobile.msg"
    assert "900461" not in " ".join(s.text for s in segments)


def test_encrypted_message_says_so() -> None:
    _, ctx = read("smime-encrypted.msg")

    assert [p.code for p in ctx.problems] == ["encrypted"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-in-half"),
        pytest.param(lambda data: data[:512] + bytes(len(data) - 512), id="sectors-zeroed"),
        pytest.param(lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), id="header-only"),
    ],
)
def test_damaged_message_fails_closed(damage: object) -> None:
    data = damage((MSG / "plain-body.msg").read_bytes())  # type: ignore[operator]
    ctx = ReadContext(name="damaged.msg")
    list(read_document(data, ctx, "msg"))

    assert ctx.problems
    assert {p.code for p in ctx.problems} <= {"corrupt", "limit_exceeded"}


# Real Outlook files (Apache POI's hsmf test data). Every one is read; a few hold a part that is
# not, and say so: fuzzed files whose attachment is no known type, and a clear-signed message
# whose detached signature (smime.p7s, certificates) the e-mail reader does not read
# (`unsupported_type`); inline pictures OCR reads unsure (`ocr_low_confidence`); and, where the
# metafile or legacy Office readers are not installed, WMF pictures of an RTF body
# (`unsupported_part`) and a Word 97 attachment (`unsupported_type`).
_CORPUS_PROBLEMS = {"unsupported_type", "unsupported_part", "ocr_low_confidence", "ocr_unavailable"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/data/corpus is absent")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.msg")) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_outlook_corpus_is_read(path: Path) -> None:
    ctx = ReadContext(name=path.name)
    segments = list(read_document(path.read_bytes(), ctx))

    assert all(p.code in PROBLEM_CODES for p in ctx.problems)
    assert {p.code for p in ctx.problems} <= _CORPUS_PROBLEMS
    assert segments  # every message has at least its class or subject
