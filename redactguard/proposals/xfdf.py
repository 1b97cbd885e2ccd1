"""XFDF (ISO 19444-1): the proposal's annotations as a file of their own, for review tools that
import markup into a PDF rather than open an annotated one."""

from __future__ import annotations

from typing import Any

from .marks import AUTHOR

__all__ = ["xfdf"]

_NS = "http://ns.adobe.com/xfdf/"


def xfdf(pdf_name: str, annotations: list[dict[str, Any]]) -> bytes:
    """An XFDF document holding `annotations` (as `proposals.pdf` describes them) for `pdf_name`."""
    from lxml import etree

    root = etree.Element(f"{{{_NS}}}xfdf", nsmap={None: _NS})
    root.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    annots = etree.SubElement(root, f"{{{_NS}}}annots")
    for spec in annotations:
        tag = "redact" if spec["subtype"] == "Redact" else "freetext"
        el = etree.SubElement(annots, f"{{{_NS}}}{tag}", page=str(spec["page"]), rect=_numbers(spec["rect"]),
                              name=spec["name"], title=AUTHOR, flags="print")
        if tag == "redact":
            el.set("coords", _numbers(spec["quads"]))
            el.set("overlay-text", spec["overlay"])
            el.set("color", "#FF0000")
            el.set("interior-color", "#000000")
        contents = etree.SubElement(el, f"{{{_NS}}}contents")
        contents.text = spec["contents"]
        if tag == "freetext":
            da = etree.SubElement(el, f"{{{_NS}}}defaultappearance")
            da.text = "/Helv 12 Tf 0.8 0 0 rg"
    etree.SubElement(root, f"{{{_NS}}}f", href=pdf_name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _numbers(values: Any) -> str:
    return ",".join(f"{v:.3f}" for v in values)
