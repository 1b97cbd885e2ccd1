"""Report renderers, one module per format, chosen by name."""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Finding, Report

__all__ = ["render", "FORMATS", "where"]

FORMATS = ("text", "json", "sarif", "junit", "html")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """The report as text in format `fmt`."""
    renderer = _renderer(fmt)
    return renderer(report)


def _renderer(fmt: str) -> Callable[[Report], str]:
    from importlib import import_module

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = import_module(f".{fmt}_format", __name__)
    render_fn: Callable[[Report], str] = module.render
    return render_fn


#: How many places `where` names before it says how many more.
SHOWN_PLACES = 3


def where(finding: Finding) -> str:
    """Where a finding is, for people: "page 3 body", or for a value found several times
    "page 1 body, page 2 body, page 4 body and 2 more (×5)" (places only, never text)."""
    if finding.count == 1:
        return finding.location.describe()
    places: list[str] = []
    for loc in finding.locations:
        described = loc.describe()
        if described not in places:
            places.append(described)
    shown = ", ".join(places[:SHOWN_PLACES])
    more = len(places) - SHOWN_PLACES
    return shown + (f" and {more} more" if more > 0 else "") + f" (\u00d7{finding.count})"
