"""What redactguard needs of pypdf beyond its public API, in one place, each with its reason.

Everything else uses pypdf's public API (the reader and writer, `pypdf.generic`, the
context-local `apply_configuration`). tests/test_pypdf_compat.py checks each name below on the
installed pypdf, as it is used here, so a release that changes one fails the tests, not a scan.

- `lean_page_list`: pypdf's page list holds every parsed page (about 4 KB each: 36 MB more at
  10,000 pages). Its own page-tree walk (order, checks, limits; `_flatten`,
  `_flatten_leaf_page`) is made to record each page's reference instead, and the page is built
  as pypdf builds it when it is read. A pypdf without that walk keeps its own list.
- `forget_objects`: pypdf keeps every object it resolved (`resolved_objects`, undocumented);
  emptying it every so many pages keeps memory flat (objects still in use are read again).
- `font`, `core_font` (`pypdf.generic._font.Font`): the font model pypdf's text extraction
  decodes with; the redactor decodes glyphs as extraction does, so it takes the same model.
- `add_object` (`PdfWriter._add_object`): a new content stream must be an indirect object.
- `renew_file_identifier` (`PdfWriter._ID`): the same input must give the same output bytes.
- `raw_data`, `set_raw_data`: a stream's bytes as stored, before its filters (a JPEG's own
  metadata; a repainted picture stored as encoded), through the base class's `get_data` and
  `set_data`, which an encoded stream overrides to decode and encode.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

__all__ = ["add_object", "core_font", "font", "forget_objects", "lean_page_list", "raw_data",
           "renew_file_identifier", "set_raw_data"]


def font(font_dict: Any) -> Any:
    """pypdf's model of a page's font resource, as its text extraction builds it."""
    from pypdf.generic._font import Font

    return Font.from_font_resource(font_dict)


@functools.lru_cache(maxsize=64)  # documents name many fonts: a miss is cheap, a hit builds a model
def core_font(name: str) -> Any:
    """pypdf's model of a font it knows by name alone (the standard 14 and their aliases), or None."""
    from pypdf.generic._font import Font

    try:
        return Font.from_core_font_name(name)
    except KeyError:
        return None


def add_object(writer: Any, obj: Any) -> Any:
    """Add `obj` to `writer` as an indirect object; its reference."""
    return writer._add_object(obj)


def renew_file_identifier(writer: Any, changed: Any) -> None:
    """Same document, new version (PDF 14.4): keep the first identifier (`changed` where there
    is none) and make `changed` the second."""
    from pypdf.generic import ArrayObject

    writer._ID = ArrayObject([writer._ID[0] if writer._ID else changed, changed])


def raw_data(stream: Any) -> bytes | None:
    """The stream's bytes as stored (None if it is no stream)."""
    from pypdf.generic import StreamObject

    return StreamObject.get_data(stream) if isinstance(stream, StreamObject) else None


def set_raw_data(stream: Any, data: bytes) -> None:
    """Store `data` as the stream's bytes as they are (its /Filter says how to read them)."""
    from pypdf.generic import StreamObject

    StreamObject.set_data(stream, data)
    stream.decoded_self = None  # what an encoded stream decoded before


def forget_objects(reader: Any) -> None:
    """Drop pypdf's cache of resolved objects and the page last built (`lean_page_list`)."""
    reader.resolved_objects.clear()
    if isinstance(getattr(reader, "flattened_pages", None), _LazyPages):
        reader.flattened_pages.forget()


class _LazyPages(list[Any]):
    """pypdf's flattened page list, holding per page only its reference and what it inherits from
    the page tree (pypdf reads the list only by `len()` and `[i]`). A page is built when it is
    asked for, as pypdf builds it; the last one built is kept, so repeated look-ups of the page
    being read return the same object."""

    def __init__(self, reader: Any, entries: list[tuple[Any, Any, dict[str, Any]]]) -> None:
        super().__init__(entries)
        self._reader = reader
        self._last: tuple[int, Any] | None = None

    def __getitem__(self, index: Any) -> Any:
        index = range(len(self))[index]  # negative indices, and IndexError as a list gives it
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        from pypdf import PageObject

        ref, node, inherit = list.__getitem__(self, index)
        page = PageObject(self._reader, ref)  # an indirect page copies its own entries here
        if ref is None:
            page.update(node)
        for attribute, value in inherit.items():  # inherited only where the page has no value
            if attribute not in page:
                page[attribute] = value
        self._last = (index, page)
        return page

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def forget(self) -> None:
        self._last = None


def lean_page_list(reader: Any) -> bool:
    """Make pypdf's own page-tree walk of `reader` record `_LazyPages` entries instead of page
    objects; False (and nothing changed) where pypdf has no such walk."""
    cls = type(reader)
    build_leaf = getattr(cls, "_flatten_leaf_page", None)
    flatten = getattr(cls, "_flatten", None)
    if build_leaf is None or flatten is None:
        return False

    def leaf(*, item: Any, list_only: bool, remaining_page_entries: Any) -> Any:
        # pypdf's own checks and page-entry limit; the page it builds is dropped, built again when read
        build_leaf(reader, item=item, list_only=list_only, remaining_page_entries=remaining_page_entries)
        ref = item.indirect_reference
        if ref is not None:  # parsed again when the page is read: the walk holds no page at its end
            reader.resolved_objects.pop((ref.generation, ref.idnum), None)
        return (ref, None if ref is not None else item.node, item.inherit)

    def lean_flatten(list_only: bool = False) -> None:
        flatten(reader, list_only)
        if reader.flattened_pages is not None and not isinstance(reader.flattened_pages, _LazyPages):
            reader.flattened_pages = _LazyPages(reader, reader.flattened_pages)

    reader._flatten_leaf_page = leaf
    reader._flatten = lean_flatten
    return True
