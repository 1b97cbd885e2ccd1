"""Pictures in a PDF: withheld words painted out of every image XObject's pixels.

Every image stream reachable from the document (pages, forms, annotation appearances, unused
resources) is decoded as a viewer shows it (its /Decode, colour space and soft mask applied),
read with OCR, and painted where withheld words are (`redactors.images`). A painted picture's
stream is replaced by a new one encoded from the painted pixels: a fresh JPEG where it was a
JPEG (or JPEG 2000), else Flate-compressed samples, with /Filter, /Width, /Height,
/ColorSpace and /BitsPerComponent set anew and everything that could still show the old picture
removed (/SMask and /Mask, /Alternates, /OPI, /Metadata, /Decode, /DecodeParms). A soft mask is
flattened over white first: scanned pages are opaque, and a mask kept beside painted pixels
could still draw the words' shapes. The file is then written whole and cloned from its own
bytes (`PdfRedactor`), so no original picture stream survives anywhere in it.

Pictures with nothing to paint keep their pixels; their metadata goes (/Metadata, /Alternates,
/OPI on the image; EXIF, XMP, ICC and comments inside a JPEG stream, cut losslessly). A text
layer over a picture is cleaned by the page-text step like any other text.

What cannot be painted fails closed as a problem: a stencil mask (/ImageMask) or an inline
image in which OCR reads withheld text, and a picture that cannot be decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...document import Location
from ...errors import UnreadableDocument
from ...readers.pypdf_compat import raw_data, set_raw_data
from ..images import metadata_removals, ocr_for, paint_withheld, strip_jpeg_metadata
from .job import _JobBase

#: Keys of an image dictionary that could show (or point to) the original picture.
_STALE_KEYS = ("/SMask", "/Mask", "/Alternates", "/OPI", "/Metadata", "/Decode", "/DecodeParms", "/SMaskInData",
               "/ImageMask", "/ColorSpace", "/BitsPerComponent", "/Filter", "/Measure", "/PtData")
_JPEG_FILTERS = ("/DCTDecode", "/JPXDecode")
#: Pictures smaller than this on either side hold no legible word.
_MIN_SIDE = 8


class _Pictures(_JobBase):
    """The pictures step of a PDF redaction."""

    def pictures(self) -> None:
        ocr = ocr_for(self.targets)
        for page in self.writer.pages:
            page.pop("/Thumb", None)  # a thumbnail shows the page as it was
        images, masks = _images(self.writer)
        for stream, page, name in images:
            if id(stream) in masks:
                continue  # a soft mask or alternate: handled (or dropped) with its picture
            where = Location(part="image", page=page, image=name)
            try:
                self._picture(stream, where, ocr)
            except UnreadableDocument as exc:
                self.problem(page, str(exc), where, exc.code)
            except Exception as exc:  # a picture we cannot decode cannot be proved clean
                self.problem(page, f"a picture could not be checked ({type(exc).__name__})", where)
        for number, page in enumerate(self.writer.pages, start=1):
            try:
                self._inline_pictures(page, number, ocr)
            except UnreadableDocument as exc:
                self.problem(number, str(exc), Location(part="image", page=number), exc.code)
            except Exception as exc:
                self.problem(number, f"a picture in the page content could not be checked ({type(exc).__name__})")

    def _picture(self, stream: Any, where: Location, ocr: Any) -> None:
        for key in ("/Metadata", "/Alternates", "/OPI"):
            stream.pop(key, None)
        if min(_number(stream, "/Width"), _number(stream, "/Height")) < _MIN_SIDE:
            return
        image = _flattened(stream.decode_as_image())
        painted = paint_withheld([image], self.targets, where, ocr=ocr)
        self.problems.extend(painted.problems)
        if stream.get("/ImageMask"):
            if painted.changed:
                self.problem(where.page, "a stencil-mask picture holds withheld text and cannot be painted", where)
            return
        if painted.changed:
            self.removals.extend(painted.removals)
            _replace_image(stream, painted.frames[0])
            return
        if _filters(stream) == ["/DCTDecode"]:
            raw = raw_data(stream) or b""
            self.removals.extend(metadata_removals(raw, self.targets, where))
            stripped = strip_jpeg_metadata(raw)
            if stripped != raw:
                set_raw_data(stream, stripped)

    def _inline_pictures(self, page: Any, number: int, ocr: Any) -> None:
        contents = page.get_contents()
        if contents is None or b"ID" not in contents.get_data():
            return
        for key in page.images.keys():
            if not key.startswith("~"):
                continue  # an XObject: done above
            image = _flattened(page.images[key].image)
            where = Location(part="image", page=number, image=key)
            painted = paint_withheld([image], self.targets, where, ocr=ocr)
            self.problems.extend(painted.problems)
            if painted.changed:
                self.problem(number, "a picture drawn inside the page content (inline image) holds withheld text and cannot be painted", where)


def _images(writer: Any) -> tuple[list[tuple[Any, int | None, str]], set[int]]:
    """Every image stream (with the first page that lists it, and its resource name), and the
    ids of those that are another picture's soft mask, mask or alternate."""
    found: list[tuple[Any, int | None, str]] = []
    seen: set[int] = set()
    masks: set[int] = set()
    roots: list[tuple[Any, int | None]] = [(page, n) for n, page in enumerate(writer.pages, start=1)]
    roots.append((writer.root_object, None))
    for root, page in roots:
        for name, stream in _walk(root, seen):
            found.append((stream, page, name))
            for key in ("/SMask", "/Mask"):
                mask = stream.get(key)
                if mask is not None and hasattr(mask.get_object(), "get_data"):
                    masks.add(id(mask.get_object()))
            for alternate in stream.get("/Alternates") or []:
                image = alternate.get_object().get("/Image")
                if image is not None:
                    masks.add(id(image.get_object()))
    return found, masks


def _walk(root: Any, seen: set[int]) -> Iterator[tuple[str, Any]]:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        key, obj = stack.pop()
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            if obj.get("/Subtype") == "/Image" and hasattr(obj, "get_data"):
                yield key, obj
            stack.extend((str(k), v) for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend((key, v) for v in obj)


def _number(stream: Any, key: str) -> int:
    value = stream.get(key)
    return int(value.get_object()) if value is not None else 0


def _filters(stream: Any) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    value = value.get_object()
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _flattened(image: Any) -> Any:
    """The picture as it shows on white paper: transparency composited, palette expanded."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB") if image.mode != "LA" else white.convert("L")
    if image.mode not in ("1", "L", "RGB"):
        return image.convert("RGB")
    return image


def _replace_image(stream: Any, image: Any) -> None:
    """Replace the picture's stream with `image`, encoded afresh from its pixels."""
    from pypdf.filters import FlateDecode
    from pypdf.generic import NameObject, NumberObject

    from ...ocr import reencode

    jpeg = any(f in _JPEG_FILTERS for f in _filters(stream)) and image.mode != "1"
    for key in _STALE_KEYS:
        stream.pop(key, None)
    if jpeg:
        image = image if image.mode in ("L", "RGB") else image.convert("RGB")
        data, name = reencode(image, "JPEG"), "/DCTDecode"
    else:
        data, name = FlateDecode.encode(image.tobytes()), "/FlateDecode"
    stream[NameObject("/Filter")] = NameObject(name)
    stream[NameObject("/Width")] = NumberObject(image.width)
    stream[NameObject("/Height")] = NumberObject(image.height)
    stream[NameObject("/ColorSpace")] = NameObject("/DeviceRGB" if image.mode == "RGB" else "/DeviceGray")
    stream[NameObject("/BitsPerComponent")] = NumberObject(1 if image.mode == "1" else 8)
    set_raw_data(stream, data)
