"""E-mail messages (.eml): every header, every text body (HTML as text), every attachment."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage, Message
from typing import Any

from ..document import Location, Segment
from .base import ReadContext
from .html import html_segments

__all__ = ["EmailReader"]


class EmailReader:
    type = "eml"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        yield from self._headers(msg, "header:0")
        yield from self._parts(msg, ctx, depth=0)

    def _headers(self, msg: Message, flow: str) -> Iterator[Segment]:
        for i, (name, value) in enumerate(msg.items()):
            try:
                text = str(value)
            except Exception:  # an undecodable encoded-word: keep the raw header
                text = str(msg.get(name, ""))
            if text.strip():
                yield Segment(text, Location(part="header", detail=name.lower()), flow=f"{flow}:{i}")

    def _parts(self, msg: Message, ctx: ReadContext, depth: int) -> Iterator[Segment]:
        parts = list(_leaves(msg))
        for index, part in enumerate(parts):
            ctx.check_time()
            ctype = part.get_content_type()
            if part.is_multipart() and ctype != "message/rfc822":
                continue
            filename = part.get_filename()
            disposition = (part.get_content_disposition() or "").lower()
            if ctype == "message/rfc822" or (filename is None and ctype.startswith("message/")):
                payload = _payload(part)
                name = filename or f"message-{index}.eml"
                yield from ctx.read_attachment(name, payload, Location(part="attachment"))
            elif ctype.startswith("text/") and disposition != "attachment" and not filename:
                text = _text(part)
                if ctype == "text/html":  # the one HTML reader: hidden parts, comments, links too
                    yield from html_segments(text, ctx, flow=f"body:{index}")
                elif text.strip():
                    yield Segment(text, Location(part="body"), flow=f"body:{index}")
            else:
                payload = _payload(part)
                if payload:
                    yield from ctx.read_attachment(filename or f"part-{index}", payload, Location(part="attachment"))


def _leaves(msg: Message, depth: int = 0) -> Iterator[Message]:
    """The message's parts in order, not descending into attached messages (read as attachments)."""
    if msg.is_multipart() and msg.get_content_type() != "message/rfc822" and depth < 50:
        for sub in msg.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub, depth + 1)
    else:
        yield msg


def _payload(part: Any) -> bytes:
    if part.get_content_type() == "message/rfc822" and part.is_multipart():
        inner = part.get_payload(0)
        return bytes(inner) if isinstance(inner, EmailMessage) else inner.as_bytes()
    data = part.get_payload(decode=True)
    if data is None:
        raw = part.get_payload()
        if isinstance(raw, list) and raw:
            return raw[0].as_bytes()
        return str(raw or "").encode("utf-8", "replace")
    return data if isinstance(data, bytes) else bytes(data)


def _text(part: Any) -> str:
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, AssertionError, KeyError):
        data = part.get_payload(decode=True) or b""
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
