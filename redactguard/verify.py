"""Prove a redacted output clean before it is kept.

The looks, each able to veto:
1. the normal scanner, exactly as `scan` would read the output (any block finding, any problem);
2. an extractor independent of the reader that located the text: pdfminer.six for PDF, the raw
   XML of every DOCX part (tags stripped, entities decoded), a second decoding for text;
   for PDF also poppler's `pdftotext -layout`, which reads each page by position (glyphs drawn
   in any order read as printed); skipped, with a logged note, where poppler is not installed;
3. a residue search of the raw material: every decompressed PDF stream and the file bytes,
   every DOCX part, in latin-1 and UTF-16.
4. pictures (issue [8]): every picture is read again with OCR by the `tesseract` command, not
   the tesserocr library the redactor used, and PDF pictures are decoded by PDFium, not the
   pypdf route the redactor painted them with; their metadata (EXIF, XMP, comments) is searched
   too, and a GPS position left in any picture is a residue, since redaction strips them all.
5. PDF pages as printed (issue [10]): each page the reader reads by OCR because its text layer
   does not tell what it shows (`readers.pdf_trust`) is rendered whole, and every redacted
   region (with the lines around it, across the page) is rendered, by poppler's `pdftoppm`
   where installed (another renderer than the redactor's PDFium), and read with the
   `tesseract` command: what a person sees there, whatever the text layer says.
Each look runs the same detection (`Targets.find`; `Targets.find_read` for OCR text, which also
matches through OCR's misreadings) over what it extracted. A hit anywhere is a `Residue`: the
output is discarded.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .document import Location
from .formats import find, load
from .redactors.base import Targets
from .zips import is_folder

__all__ = ["Checks", "Residue", "verify_output", "PDF", "DOCX", "XLSX", "ODT", "TEXT", "IMAGE", "ZIP"]

_log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]
#: Seconds an outside tool (pdftotext, pdftoppm) may take over one output or page.
TOOL_TIMEOUT = 300
#: A redacted region is read with this many of its own heights of page above and below it,
#: across the whole page: a value is cut at its box only if its neighbours do not give it away.
REGION_REACH = 1.5
#: Where the regions of a page add up to more than this share of its height, the page is read whole.
WHOLE_PAGE = 0.5


@dataclass(frozen=True)
class Residue:
    """Withheld text still present in an output (masked)."""

    check: str  # scanner | independent | layout | raw | picture | rendered | file name (the copy's own name)
    location: Location
    item: str
    excerpt: str

    def to_dict(self) -> dict[str, object]:
        return {"check": self.check, "item": self.item, "location": self.location.to_dict(), "excerpt": self.excerpt}


@dataclass(frozen=True)
class Checks:
    """How outputs of one document type are read back, beside the scanner's own look; named by
    the type's `formats.Format.verifier`. Each field is one look of the module's docstring."""

    #: Look 2: another extractor's text, as (check name, text, location).
    independent: Callable[[bytes], Iterator[tuple[str, str, Location]]] | None = None
    #: Look 3: the raw material, as (text, location).
    raw: Callable[[bytes], Iterator[tuple[str, Location]]] | None = None
    #: Look 4: every picture, as (location, image or None, metadata bytes or None).
    pictures: Callable[[bytes], Iterator[_Picture]] | None = None
    #: Looks 2 and 5 by position: `pdftotext -layout`, and the pages as printed (PDF).
    printed: bool = False
    #: A container: each member is verified as what it is (zip).
    members: bool = False


def verify_output(data: bytes, kind: str, targets: Targets, name: str = "output", *,
                  regions: Mapping[int, Sequence[Box]] | None = None) -> list[Residue]:
    """Every residue of withheld text in `data` (an empty list means verified clean).

    `regions`: for a PDF, the boxes the redactor painted, per page (PDF points), read again
    by OCR as printed (look 5); None where they are not known (a PDF inside a zip)."""
    ref = find(kind).verifier
    checks: Checks = load(ref) if ref else Checks()
    if checks.members:
        return list(_zip_members(data, targets, name))
    residues = list(_scanner_look(data, targets, name))
    if checks.independent is not None:
        for label, text, location in checks.independent(data):
            residues.extend(_find(targets, text, label, location))
    if checks.printed:
        residues.extend(_pdf_layout_look(data, targets))
    for text, location in (checks.raw or _bytes_raw)(data):
        residues.extend(_find(targets, text, "raw", location))
    if checks.pictures is not None:
        residues.extend(_picture_look(checks.pictures(data), targets))
    if checks.printed:
        residues.extend(_printed_look(data, targets, regions or {}))
    return residues


def _zip_members(data: bytes, targets: Targets, name: str) -> Iterator[Residue]:
    from .readers.sniff import sniff

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if is_folder(info):
                continue
            blob = zf.read(info)
            for r in verify_output(blob, sniff(blob), targets, f"{name}!/{info.filename}"):
                yield Residue(r.check, r.location.within(info.filename), r.item, r.excerpt)


def _find(targets: Targets, text: str, check: str, location: Location) -> list[Residue]:
    return [Residue(check, location, s.item.id, targets.excerpt(text, s)) for s in targets.find(text)]


def _scanner_look(data: bytes, targets: Targets, name: str) -> Iterator[Residue]:
    result = targets.scanner.scan_bytes(data, name)
    for f in result.findings:
        if f.severity == "block" and f.item is not None:
            yield Residue("scanner", f.location, f.item, f.excerpt)
    for p in result.problems:
        yield Residue("scanner", p.location or Location(page=p.page), f"problem:{p.code}", p.message)


# ----------------------------------------------------------------------------- PDF


def _pdf_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    """pdfminer.six's own parser and layout analysis, page by page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    pages = extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True))
    for number, page in enumerate(pages, 1):
        text = "\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
        yield "independent", text, Location(page=number)


def _pdf_layout_look(data: bytes, targets: Targets) -> Iterator[Residue]:
    """poppler's `pdftotext -layout`: each page's text by position, as printed."""
    command = shutil.which("pdftotext")
    if command is None:
        _log.info("poppler's pdftotext is not installed: the by-position text look is skipped "
                  "(the scanner and pdfminer.six still read the output)")
        return
    try:
        done = subprocess.run([command, "-q", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, timeout=TOOL_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        yield Residue("layout", Location(), "problem:read_error", f"pdftotext could not read the output ({type(exc).__name__})")
        return
    if done.returncode != 0:  # our own output, unreadable to poppler: not proved clean
        yield Residue("layout", Location(), "problem:read_error", f"pdftotext could not read the output (status {done.returncode})")
        return
    text = done.stdout.decode("utf-8", "replace")
    starts = [0] + [m.end() for m in re.finditer("\f", text)]
    for span in targets.find(text):
        page = sum(1 for start in starts if start <= span.start)
        yield Residue("layout", Location(page=page), span.item.id, targets.excerpt(text, span))


def _printed_look(data: bytes, targets: Targets, regions: Mapping[int, Sequence[Box]]) -> Iterator[Residue]:
    """Pages read by OCR as printed: the redacted regions, and the pages whose text layer does
    not tell what they show (read whole)."""
    from .errors import UnreadableDocument
    from .ocr import Ocr
    from .ocr.confidence import unsure_spans
    from .redactors.pdf.untrusted import distrusted_pages

    whole = set(distrusted_pages(data))
    pages = sorted(whole | {n for n, boxes in regions.items() if boxes})
    if not pages:
        return
    from .readers.pdf import open_pdf

    ocr = Ocr(engine="tesseract", lang=_ocr_lang(targets))
    try:
        reader = open_pdf(data)
    except UnreadableDocument as exc:
        yield Residue("rendered", Location(part="image"), f"problem:{exc.code}", "the output could not be read as printed")
        return
    for number in pages:
        try:
            image, to_pixels, dpi = _printed_page(data, number, reader.pages[number - 1])
            for crop in _crops(image, [to_pixels(box) for box in regions.get(number, ())], number in whole):
                text, words = ocr.read(image.crop(crop), dpi=dpi).text_map()
                for span in targets.find_read(text, unsure_spans(words)):
                    yield Residue("rendered", Location(part="image", page=number), span.item.id, targets.excerpt(text, span))
        except UnreadableDocument as exc:
            if exc.code == "ocr_unavailable" and number not in whole:
                # only a second look at a region whose text is gone: the text looks still run
                _log.info("page %d: the tesseract command is not available: its redacted regions are not read as printed", number)
                continue
            yield Residue("rendered", Location(part="image", page=number), f"problem:{exc.code}",
                          f"page {number} could not be read as printed")
        except IndexError:  # a region on a page the output does not have
            yield Residue("rendered", Location(part="image", page=number), "problem:corrupt", f"page {number} is missing")


def _printed_page(data: bytes, number: int, page: Any) -> tuple[Any, Any, int]:
    """Page `number` (pypdf's `page`) as a greyscale picture at 300 dpi (poppler's pdftoppm
    where installed, else PDFium), a map from PDF boxes to its pixels, and its resolution."""
    from PIL import Image

    from .errors import UnreadableDocument
    from .ocr import render_pdf_page

    crop = page.cropbox
    left, bottom, right, top = (float(crop.left), float(crop.bottom), float(crop.right), float(crop.top))
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    command = shutil.which("pdftoppm")
    image, dpi = None, 300
    if command is not None:
        try:
            done = subprocess.run([command, "-r", "300", "-f", str(number), "-l", str(number), "-cropbox", "-gray", "-"],
                                  input=data, capture_output=True, timeout=TOOL_TIMEOUT, check=False)
            if done.returncode == 0 and done.stdout:
                image = Image.open(io.BytesIO(done.stdout)).convert("L")
        except (OSError, subprocess.TimeoutExpired, ValueError):
            image = None
        if image is None:
            raise UnreadableDocument("read_error", f"page {number} could not be rendered")
    else:
        rendered = render_pdf_page(data, number - 1)
        image, rotation, dpi = rendered.image, rendered.rotation, round(rendered.dpi)
    width, height = (right - left, top - bottom) if rotation in (0, 180) else (top - bottom, right - left)
    sx, sy = image.width / max(width, 1e-6), image.height / max(height, 1e-6)

    def to_pixels(box: Box) -> tuple[int, int, int, int]:
        corners = [_turned(x, y, (left, bottom, right, top), rotation) for x in (box[0], box[2]) for y in (box[1], box[3])]
        xs, ys = [c[0] * sx for c in corners], [c[1] * sy for c in corners]
        return (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)

    return image, to_pixels, dpi


def _turned(x: float, y: float, crop: Box, rotation: int) -> tuple[float, float]:
    """A PDF point as points from the top left corner of the page as shown (turned clockwise
    by /Rotate), the inverse of `ocr.RenderedPage.to_pdf_box`."""
    left, bottom, right, top = crop
    u, v = x - left, top - y
    width, height = right - left, top - bottom
    if rotation == 90:
        return height - v, u
    if rotation == 180:
        return width - u, height - v
    if rotation == 270:
        return v, width - u
    return u, v


def _crops(image: Any, boxes: list[tuple[int, int, int, int]], whole: bool) -> list[tuple[int, int, int, int]]:
    """The parts of a page picture to read: bands across the page around each region (the
    whole page for a distrusted one, for regions not in lines across it, or for many)."""
    full = (0, 0, image.width, image.height)
    if whole or not boxes or any(b[3] - b[1] > b[2] - b[0] for b in boxes):
        return [full]
    bands: list[list[int]] = []
    for _x0, y0, _x1, y1 in sorted(boxes, key=lambda b: b[1]):
        reach = int(REGION_REACH * (y1 - y0)) + 8
        low, high = max(0, y0 - reach), min(image.height, y1 + reach)
        if bands and low <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], high)
        else:
            bands.append([low, high])
    if sum(high - low for low, high in bands) > WHOLE_PAGE * image.height:
        return [full]
    return [(0, low, image.width, high) for low, high in bands]


def _pdf_raw(data: bytes) -> Iterator[tuple[str, Location]]:
    """The file's bytes and every stream object decompressed, as latin-1 and UTF-16 text."""
    yield from _bytes_raw(data)
    for chunk in _pdf_streams(data):
        yield from _bytes_raw(chunk, Location(part="body", detail="stream"))


def _pdf_streams(data: bytes) -> Iterator[bytes]:
    import zlib

    for m in re.finditer(rb"stream\r?\n", data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end == -1:
            continue
        raw = data[start:end]
        try:
            yield zlib.decompressobj().decompress(raw, 50 * 1024 * 1024)
        except zlib.error:
            yield raw


# ----------------------------------------------------------------------------- DOCX, XLSX, ODT (zips of XML parts)


def _package_parts(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if not is_folder(info):
                yield info.filename, zf.read(info)


#: Where a package's XML ends a line of text: a paragraph (Word, DrawingML, ODF), a break or
#: tab, a cell or shared string (workbooks), so that neighbouring cells do not run together.
_BREAKS = re.compile(r"</w:p>|<w:br/>|<w:tab/>|</a:p>|<a:br/>|</text:[ph]>|<text:(?:line-break|tab)/>|</si>|</c>|</is>")


def _package_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    """Every XML part's character data, tags stripped, without the reader's walker."""
    import html

    for name, blob in _package_parts(data):
        if name.endswith((".xml", ".rels")) or blob.lstrip()[:5] == b"<?xml":
            text = blob.decode("utf-8", "replace")
            attrs = " ".join(re.findall(r'="([^"]{4,})"', text))
            stripped = re.sub(r"<[^>]+>", "", _BREAKS.sub("\n", text))
            yield "independent", html.unescape(stripped + "\n" + attrs), Location(part="body", detail=name)


def _package_raw(data: bytes) -> Iterator[tuple[str, Location]]:
    for name, blob in _package_parts(data):
        if not name.endswith((".xml", ".rels")):
            yield from _bytes_raw(blob, Location(part="attachment", detail=name))


# ----------------------------------------------------------------------------- pictures

#: What the picture look reads: (where, a picture to OCR or None, metadata source or None).
_Picture = tuple[Location, Any, Any]


def _picture_look(pictures: Iterator[_Picture], targets: Targets) -> Iterator[Residue]:
    """OCR every picture again with the `tesseract` command and search its text and metadata."""
    from .errors import UnreadableDocument
    from .ocr import Ocr, gps_position, read_metadata
    from .ocr.confidence import unsure_spans

    ocr = Ocr(engine="tesseract", lang=_ocr_lang(targets))
    try:
        for where, image, metadata in pictures:
            if image is not None:
                text, words = ocr.read(image).text_map()
                for span in targets.find_read(text, unsure_spans(words)):
                    yield Residue("picture", where, span.item.id, targets.excerpt(text, span))
            if metadata is not None:
                meta = replace(where, part="image-metadata")
                for line in read_metadata(metadata):
                    for span in targets.find(line.text):
                        yield Residue("picture", replace(meta, detail=line.name), span.item.id, targets.excerpt(line.text, span))
                if gps_position(metadata) is not None:
                    yield Residue("picture", meta, "gps", "[GPS position]")
    except UnreadableDocument as exc:  # a picture that cannot be read again cannot be proved clean
        yield Residue("picture", Location(part="image"), f"problem:{exc.code}", str(exc))


def _pdf_pictures(data: bytes) -> Iterator[_Picture]:
    """Every picture each page draws (PDFium), and the metadata of every JPEG stream."""
    from .ocr.embedded import pdf_pictures

    for page, image in pdf_pictures(data):
        yield Location(part="image", page=page), image, None
    for chunk in _pdf_streams(data):
        if chunk[:3] == b"\xff\xd8\xff":
            yield Location(part="image"), None, chunk


def _package_pictures(data: bytes) -> Iterator[_Picture]:
    """Every part that is a raster picture, each frame (vector pictures are in the raw look)."""
    for name, blob in _package_parts(data):
        if not name.endswith((".xml", ".rels")) and _is_picture(blob):
            yield from _frames(blob, Location(part="image", image=name))


def _picture_file(data: bytes) -> Iterator[_Picture]:
    yield from _frames(data, Location(part="image"))


def _frames(data: bytes, where: Location) -> Iterator[_Picture]:
    from PIL import ImageSequence

    from .ocr.metadata import open_picture

    picture = open_picture(data)
    frames = list(ImageSequence.Iterator(picture))
    for number, frame in enumerate(frames, start=1):
        yield (replace(where, page=number) if len(frames) > 1 else where), frame.copy(), None
    yield where, None, data


def _is_picture(blob: bytes) -> bool:
    from .readers.sniff import sniff

    return sniff(blob) == "image"


# ----------------------------------------------------------------------------- text and bytes


def _text_independent(data: bytes) -> Iterator[tuple[str, str, Location]]:
    for enc in ("utf-8", "cp1252", "utf-16"):
        yield "independent", data.decode(enc, "ignore"), Location()


def _bytes_raw(data: bytes, location: Location | None = None) -> Iterator[tuple[str, Location]]:
    where = location or Location(detail="bytes")
    yield data.decode("latin-1"), where
    if b"\x00" in data:
        for enc in ("utf-16-le", "utf-16-be"):
            yield data[: len(data) // 2 * 2].decode(enc, "ignore"), where


# ----------------------------------------------------------------------------- the types' checks

PDF = Checks(independent=_pdf_independent, raw=_pdf_raw, pictures=_pdf_pictures, printed=True)
DOCX = Checks(independent=_package_independent, raw=_package_raw, pictures=_package_pictures)
#: Workbooks and OpenDocument text are zips of XML parts too: every part's character data and
#: attributes, every other member's bytes, every picture.
XLSX = ODT = DOCX
TEXT = Checks(independent=_text_independent)
IMAGE = Checks(pictures=_picture_file)
ZIP = Checks(members=True)


def _ocr_lang(targets: Targets) -> str:
    """The languages the scan read pictures in: the independent reading uses the same."""
    return str(getattr(getattr(targets.scanner, "ocr_engine", None), "lang", "eng"))
