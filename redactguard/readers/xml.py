"""XML data files (an export from a case system, an e-invoice attached to a PDF, a config file):
every piece of character data, attribute value, comment and processing instruction, in document
order, as one flow, never the markup itself.

Parsed like a package part (`docx.parse_xml`: no entities, no DTD, no network), but with its
comments, which a person opening the file reads. A file that declares a DTD fails closed
(`unsupported_part`: the entities it defines would go unchecked); one that is not well formed
is `corrupt` (read as plain text, its markup would be read as people and places; see
docs/decisions.md "Markup"). SVG, HTML and XHTML are told apart before this reader is chosen.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Location, Segment
from .base import ReadContext
from .docx import parse_xml

__all__ = ["XmlReader"]


class XmlReader:
    type = "xml"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        if len(data) > ctx.limits.max_part_bytes:
            ctx.problem("limit_exceeded", "the XML file is larger than the size limit")
            return
        root = parse_xml(data, comments=True)
        tree = root.getroottree()
        # what precedes and follows the root element (comments, processing instructions)
        siblings = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
        for top in siblings:
            ctx.check_time()
            for node in top.iter():
                pieces = [node.text]
                if isinstance(node.tag, str):
                    pieces = [*node.attrib.values(), node.text]
                pieces.append(node.tail if node is not top else None)
                for text in pieces:
                    if text and text.strip():
                        yield Segment(text.strip(), Location(part="body"), flow="body")
        del tree
