"""Word, Excel and PowerPoint 97-2003 (.doc, .xls, .ppt): read through their OOXML twin.

LibreOffice headless converts the file to .docx, .xlsx or .pptx (`readers/convert.py`) and the
twin is read by the DOCX, XLSX or PPTX reader, so every part, location and problem is the twin's
(tracked changes, comments, hidden text, headers, notes: tested on files LibreOffice itself
wrote as Word 97). What the conversion cannot vouch for is checked in the OLE2 container first
(`readers/legacy_ole.py`): a password-protected file is `encrypted` without being converted; the
property streams, custom XML store and preview picture are read from the file itself; macros,
embedded objects LibreOffice did not carry over and streams of unknown kind fail closed
(`unsupported_part`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from ..document import Location, Segment
from ..errors import UnreadableDocument
from . import legacy_ole
from .base import ReadContext, read_document
from .convert import TWINS, convert_to_twin
from .legacy_preview import thumbnail_segments

__all__ = ["DocReader", "XlsReader", "PptReader"]

#: Root entries every kind may hold: property streams, OLE plumbing (class id, link flags, the
#: object flags of a document embedded in another), the custom XML store (read in `legacy_ole`),
#: a VBA project's storage (a problem of its own).
_COMMON = frozenset({"\x05summaryinformation", "\x05documentsummaryinformation", "\x01compobj", "\x01ole",
                     "\x03objinfo", "msodatastore", "macros", "_vba_project_cur"})
#: The picture an embedding application keeps of a document embedded in another (read here).
_PRESENTATIONS = ("\x03eprint", "\x02olepres")
_MACROS = frozenset({"macros", "_vba_project_cur"})
#: A Word file whose FIB counts this many characters or more, of which the twin holds under
#: this share (field codes and paragraph marks count in the FIB, not in the twin), is damaged.
_LOST_TEXT_MIN, _LOST_TEXT_SHARE = 50, 0.2


class _LegacyReader:
    """The shared walk; subclasses say which root entries LibreOffice reads and where embedded
    objects sit."""

    type = ""
    #: Root streams and storages LibreOffice's import filter reads (lower case).
    known: frozenset[str] = frozenset()

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        ole = legacy_ole.open_ole(data)
        with ole:
            roots = legacy_ole.root_entries(ole)
            if legacy_ole.is_encrypted(ole, self.type, roots):
                raise UnreadableDocument("encrypted", "the file is password-protected")
            import_filter = self.import_filter(ole, roots)
            self._check_entries(ole, roots, ctx)
            properties = legacy_ole.property_texts(ole, ctx)
            own = [*legacy_ole.data_store_segments(ole, ctx), *thumbnail_segments(ole.get_metadata().thumbnail, ctx),
                   *_presentations(ole, roots, ctx)]
            objects = self.objects(ole, roots)
            declared = legacy_ole.word_characters(ole) if self.type == "doc" else 0
        twin = convert_to_twin(data, self.type, import_filter, ctx)
        seen: set[str] = set()
        converted = 0
        for segment in read_document(twin, ctx, TWINS[self.type][0]):
            if segment.location.part == "metadata":
                seen.add(_plain(segment.text))
            else:
                converted += len(segment.text)
            yield segment
        if declared >= _LOST_TEXT_MIN and converted < declared * _LOST_TEXT_SHARE:
            # LibreOffice loads some damaged files as (nearly) empty documents without an error
            ctx.problem("corrupt", "LibreOffice's conversion holds much less text than the file says it has: "
                        "the file is damaged and could not be read completely")
        for name, text in properties:  # what LibreOffice did not carry into the twin's properties
            if _plain(text) not in seen:
                yield Segment(text, Location(part="metadata", detail=f"ole:{name}"), flow=f"metadata:ole:{name}")
        yield from own
        carried = _embeddings(twin)
        if objects > carried:
            ctx.problem("unsupported_part", f"{objects - carried} of the file's {objects} embedded objects were not carried "
                        "into LibreOffice's conversion and cannot be checked", location=Location(part="attachment"))

    def import_filter(self, ole: Any, roots: set[str]) -> str:
        raise NotImplementedError

    def objects(self, ole: Any, roots: set[str]) -> int:
        """How many embedded objects the file holds (0 where they are not counted)."""
        return 0

    def _check_entries(self, ole: Any, roots: set[str], ctx: ReadContext) -> None:
        if roots & _MACROS or (self.type == "ppt" and legacy_ole.has_ppt_macros(ole)):
            ctx.problem("unsupported_part", "the document holds macros (a VBA project) that cannot be checked")
        unknown = [r for r in roots - _COMMON - self.known if not self._object_storage(r) and not r.startswith(_PRESENTATIONS)]
        if unknown:  # never their names: a stream name is the producer's to choose
            ctx.problem("unsupported_part", f"the file holds {len(unknown)} stream(s) or storage(s) of a kind that "
                        "LibreOffice does not read and that cannot be checked")

    def _object_storage(self, root: str) -> bool:
        return False


class DocReader(_LegacyReader):
    """Word 97-2003 (and Word 6/95) documents."""

    type = "doc"
    known = frozenset({"worddocument", "0table", "1table", "data", "objectpool"})

    def import_filter(self, ole: Any, roots: set[str]) -> str:
        return "MS Word 97" if legacy_ole.word_version(ole) >= 0xC1 else "MS Word 95"

    def objects(self, ole: Any, roots: set[str]) -> int:
        return len({e[1] for e in ole.listdir(streams=True, storages=True) if len(e) > 1 and e[0].lower() == "objectpool"})


class XlsReader(_LegacyReader):
    """Excel 97-2003 (BIFF8) and Excel 5/95 (BIFF5) workbooks."""

    type = "xls"
    known = frozenset({"workbook", "book"})

    def import_filter(self, ole: Any, roots: set[str]) -> str:
        return "MS Excel 97" if "workbook" in roots else "MS Excel 95"

    def objects(self, ole: Any, roots: set[str]) -> int:
        return sum(1 for r in roots if self._object_storage(r))

    def _object_storage(self, root: str) -> bool:
        return root.startswith("mbd")  # MBD<8 hex digits>: one storage per embedded object


class PptReader(_LegacyReader):
    """PowerPoint 97-2003 presentations. Embedded objects live inside the PowerPoint Document
    stream (compressed ExOleObjStg records), which only LibreOffice's import reads."""

    type = "ppt"
    known = frozenset({"powerpoint document", "current user", "pictures"})

    def import_filter(self, ole: Any, roots: set[str]) -> str:
        return "MS PowerPoint 97"


def _presentations(ole: Any, roots: set[str], ctx: ReadContext) -> list[Segment]:
    """The picture of the document an embedding application keeps beside it (`\x03EPRINT`,
    `\x02OlePres000`: a metafile), read like any metafile: its text and its bitmaps by OCR."""
    from .metafile import is_metafile, read_metafile

    found: list[Segment] = []
    for entry in ole.listdir(streams=True, storages=False):
        if len(entry) != 1 or not entry[0].lower().startswith(_PRESENTATIONS):
            continue
        data = ole.openstream(entry).read()
        name = entry[0].lstrip("\x01\x02\x03")
        if is_metafile(data):
            found.extend(read_metafile(ctx, data, location=Location(part="image", image=name), flow=f"image:{name}",
                                       what=f"the embedded document's picture {name}"))
        elif len(data) > 64:  # a presentation stream with no picture is only a header
            ctx.problem("unsupported_part", "the embedded document's picture cannot be read", location=Location(part="image", image=name))
    return found


def _plain(text: str) -> str:
    return " ".join(text.split())


def _embeddings(twin: bytes) -> int:
    """Embedded objects in the twin package (`word/embeddings/`, `xl/embeddings/`...)."""
    try:
        with zipfile.ZipFile(io.BytesIO(twin)) as zf:
            return sum(1 for n in zf.namelist() if "/embeddings/" in n and not n.endswith("/"))
    except zipfile.BadZipFile:
        return 0
