"""EXIF and XMP of a photo: read as text, GPS found, and gone after stripping."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from redactguard.ocr import gps_position, read_metadata, strip_metadata

PERSONAL = [b"Jane Ashworth", b"Front door", b"moved in", b"ExampleCam", b"53,49", b"GPS"]


@pytest.fixture(scope="module")
def photo(fixtures_dir: Path) -> bytes:
    return (fixtures_dir / "door-photo.jpg").read_bytes()


def test_gps_position_is_found(photo: bytes) -> None:
    position = gps_position(photo)
    assert position is not None and position.source == "exif"
    assert position.latitude == pytest.approx(53.8196, abs=1e-4)
    assert position.longitude == pytest.approx(-1.5766, abs=1e-4)
    assert "53.8" not in repr(position)


def test_owner_description_and_comment_become_lines(photo: bytes) -> None:
    lines = {line.name: line.text for line in read_metadata(photo)}
    assert lines["exif:Artist"] == "Jane Ashworth"
    assert lines["exif:ImageDescription"] == "Front door of the new flat"
    assert lines["exif:UserComment"] == "Taken the day we moved in"
    assert lines["xmp:creator"] == "Jane Ashworth"
    assert lines["exif:GPSPosition"].startswith("53.8196")
    assert "Jane" not in repr(read_metadata(photo))


def test_xmp_gps_is_found_without_exif() -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="53,49,10.56N" exif:GPSLongitude="1,34.596W"/></rdf:RDF></x:xmpmeta>'
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG", xmp=xmp)
    position = gps_position(buffer.getvalue())
    assert position is not None and position.source == "xmp"
    assert (position.latitude, position.longitude) == pytest.approx((53.8196, -1.5766), abs=1e-4)


def test_picture_without_metadata_has_none() -> None:
    buffer = io.BytesIO()
    Image.new("L", (20, 20), 255).save(buffer, format="PNG")
    assert read_metadata(buffer.getvalue()) == [] and gps_position(buffer.getvalue()) is None


def test_stripping_removes_everything_and_keeps_the_picture(photo: bytes) -> None:
    stripped = strip_metadata(photo)
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.format == "JPEG" and image.size == (800, 600)
        assert not image.getexif() and "xmp" not in image.info and "exif" not in image.info
        assert "icc_profile" not in image.info
    assert gps_position(stripped) is None and read_metadata(stripped) == []
    for value in PERSONAL:
        assert value not in stripped
    assert b"Exif\x00\x00" not in stripped and b"http://ns.adobe.com/xap" not in stripped


def test_png_text_chunks_are_read_and_stripped() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Ashworth")
    info.add_itxt("Comment", "14 Cherry Tree Road")
    buffer = io.BytesIO()
    Image.new("L", (20, 20), 255).save(buffer, format="PNG", pnginfo=info)
    lines = {line.name: line.text for line in read_metadata(buffer.getvalue())}
    assert lines == {"info:Author": "Jane Ashworth", "info:Comment": "14 Cherry Tree Road"}
    stripped = strip_metadata(buffer.getvalue())
    assert b"Ashworth" not in stripped and b"Cherry" not in stripped
