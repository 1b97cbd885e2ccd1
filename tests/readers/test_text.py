"""Text reader: encodings, line ends, and long files read in pieces that join back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactguard.document import Location, Segment
from redactguard.readers import ReadContext, read_document
from redactguard.readers.text import decode_text

NOTE = "Contact note\nMs Ashworth lives at 14 Cherry Tree Road, Headingley.\nCall 07700 900461 – £5 café\n"


def read(data: bytes) -> tuple[list[Segment], ReadContext]:
    ctx = ReadContext(name="note.txt")
    return list(read_document(data, ctx, "text")), ctx


def test_latin1_file_is_decoded_without_replacement_characters(files_dir: Path) -> None:
    raw = (files_dir / "latin1.txt").read_bytes()
    segments, ctx = read(raw)
    text = "".join(s.text for s in segments)

    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is not UTF-8
    assert ctx.problems == []
    assert "Taxi from 14 Cherry Tree Road to the contact centre: £12.50\r\n" in text
    assert "café" in text
    assert "\ufffd" not in text


def test_utf8_file_is_read_as_one_body_segment(files_dir: Path) -> None:
    segments, _ = read((files_dir / "plain.txt").read_bytes())

    assert len(segments) == 1
    assert segments[0].location == Location(part="body")
    assert "\nls63ex\n" in segments[0].text


def test_contact_note_keeps_the_spaced_phone(bundle_dir: Path) -> None:
    segments, _ = read((bundle_dir / "contact-note.txt").read_bytes())

    assert "called after each session on 07700 900 461 and sent" in segments[0].text


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16"], ids=["utf-8", "utf-8-with-bom", "utf-16-with-bom"]
)
def test_encodings_decode_to_the_same_text(encoding: str) -> None:
    assert decode_text(NOTE.encode(encoding)) == NOTE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_ascii_utf16_without_bom_is_decoded(encoding: str) -> None:
    note = "Contact note\nMs Ashworth lives at 14 Cherry Tree Road, Headingley.\n"

    assert decode_text(note.encode(encoding)) == note


def test_short_windows_1252_note_is_decoded_as_written() -> None:
    note = "Contact note\nChloé Ashworth lives at 14 Cherry Tree Road – Headingley.\n"

    assert decode_text(note.encode("cp1252")) == note


def test_long_text_is_read_in_pieces_that_join_back_exactly() -> None:
    line = "The session went well and nothing of note was said by anyone present.\n"
    text = line * 4000  # about 280 KB: several 64 KB pieces

    segments, ctx = read(text.encode("utf-8"))

    assert len(segments) > 3
    assert "\n".join(s.text for s in segments) == text
    assert ctx.problems == []
