"""HTML as the text a reader sees, plus link targets and alt text (which recipients can see too)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

__all__ = ["html_to_text"]

_BREAKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _BREAKS:
            self.out.append("\n")
        for name, value in attrs:
            if value and name in ("href", "alt", "title", "src") and not value.startswith("data:"):
                self.out.append(f" {unquote(value)} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in _BREAKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
