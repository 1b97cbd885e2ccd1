"""Report renderers, one module per format, chosen by name."""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Report

__all__ = ["render", "FORMATS"]

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
