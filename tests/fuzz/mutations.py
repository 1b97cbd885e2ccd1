"""Hypothesis strategies that damage files the way transfers, "repairs" and attackers do.

Each strategy draws a function bytes -> bytes, so one test can combine a generic damage (cut,
flipped bytes, an overwritten run) with a format-aware one (an xref offset, a declared length, a
cycle in the page tree, an XML part that is no longer XML).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from hypothesis import strategies as st

Mutation = Callable[[bytes], bytes]


# --------------------------------------------------------------------------- any bytes


@st.composite
def truncate(draw: st.DrawFn) -> Mutation:
    frac = draw(st.floats(0.0, 1.0))
    return lambda data: data[: int(len(data) * frac)]


@st.composite
def flip_bytes(draw: st.DrawFn) -> Mutation:
    flips = draw(st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=8))

    def apply(data: bytes) -> bytes:
        buf = bytearray(data)
        for where, mask in flips:
            if buf:
                buf[int(where * len(buf))] ^= mask
        return bytes(buf)

    return apply


@st.composite
def overwrite(draw: st.DrawFn) -> Mutation:
    where = draw(st.floats(0.0, 1.0, exclude_max=True))
    junk = draw(st.binary(min_size=1, max_size=64))

    def apply(data: bytes) -> bytes:
        at = int(where * len(data))
        return data[:at] + junk + data[at + len(junk):]

    return apply


@st.composite
def splice(draw: st.DrawFn) -> Mutation:
    """A run of the file copied elsewhere (a botched concatenation or a duplicated block)."""
    a, b, c = draw(st.floats(0, 1)), draw(st.floats(0, 1)), draw(st.floats(0, 1))

    def apply(data: bytes) -> bytes:
        lo, hi = sorted((int(a * len(data)), int(b * len(data))))
        at = int(c * len(data))
        return data[:at] + data[lo:hi] + data[at:]

    return apply


def byte_damage() -> st.SearchStrategy[Mutation]:
    return st.one_of(truncate(), flip_bytes(), overwrite(), splice())


# --------------------------------------------------------------------------- PDF structure

HUGE = st.sampled_from([b"2147483647", b"9999999999999999999", b"-1", b"0", b"4294967296", b"1e308", b"NaN"])


def _sub(pattern: bytes, pick: float, make: Callable[[re.Match[bytes]], bytes]) -> Mutation:
    """Replace the n-th match of `pattern` (n chosen by `pick` in [0, 1))."""
    rx = re.compile(pattern)

    def apply(data: bytes) -> bytes:
        matches = list(rx.finditer(data))
        if not matches:
            return data
        m = matches[int(pick * len(matches))]
        return data[: m.start()] + make(m) + data[m.end():]

    return apply


@st.composite
def pdf_structure(draw: st.DrawFn) -> Mutation:  # noqa: C901 - one branch per kind of damage
    pick = draw(st.floats(0.0, 1.0, exclude_max=True))
    kind = draw(st.sampled_from([
        "xref-offset", "startxref", "xref-count", "huge-length", "huge-count", "huge-size",
        "cycle-parent", "cycle-kids", "self-kids", "deep-array", "deep-dict", "drop-endobj",
        "drop-endstream", "wrong-type", "objstm-header", "objstm-n", "kids-not-array",
        "filter-swap", "duplicate-object",
    ]))
    value = draw(HUGE)
    depth = draw(st.integers(10, 200_000))
    if kind == "xref-offset":
        digits = draw(st.binary(min_size=10, max_size=10).map(lambda b: bytes(48 + x % 10 for x in b)))
        return _sub(rb"\d{10} \d{5} n", pick, lambda m: digits + m.group()[10:])
    if kind == "startxref":
        return _sub(rb"startxref\s+\d+", pick, lambda m: b"startxref\n" + value)
    if kind == "xref-count":
        return _sub(rb"xref\s+0 \d+", pick, lambda m: b"xref\n0 " + value)
    if kind == "huge-length":
        return _sub(rb"/Length \d+", pick, lambda m: b"/Length " + value)
    if kind == "huge-count":
        return _sub(rb"/Count \d+", pick, lambda m: b"/Count " + value)
    if kind == "huge-size":
        return _sub(rb"/Size \d+", pick, lambda m: b"/Size " + value)
    if kind == "cycle-parent":  # a page is its own parent, or the page tree's root's
        return _sub(rb"/Parent \d+ 0 R", pick, lambda m: b"/Parent 1 0 R")
    if kind == "cycle-kids":  # the page tree lists its own root (or the catalog) as a kid
        return _sub(rb"/Kids \[ ?\d+ 0 R", pick, lambda m: m.group().split(b"[")[0] + b"[ 7 0 R 5 0 R 3 0 R")
    if kind == "self-kids":
        return _self_kids
    if kind == "deep-array":
        return _sub(rb"/MediaBox", pick, lambda m: b"/Deep " + b"[" * depth + b"]" * depth + b" /MediaBox")
    if kind == "deep-dict":
        return _sub(rb"/Resources", pick, lambda m: b"/Deep " + b"<</A " * depth + b"1" + b">>" * depth + b" /Resources")
    if kind == "drop-endobj":
        return _sub(rb"endobj", pick, lambda m: b"")
    if kind == "drop-endstream":
        return _sub(rb"endstream", pick, lambda m: b"")
    if kind == "wrong-type":
        return _sub(rb"/Type\s*/(Pages|Page|Catalog|ObjStm|XRef)", pick, lambda m: draw_type(m, pick))
    if kind == "objstm-header":  # the "objnum offset" pairs at the head of an object stream
        return _sub(rb"/First \d+", pick, lambda m: b"/First " + value)
    if kind == "objstm-n":
        return _sub(rb"/N \d+", pick, lambda m: b"/N " + value)
    if kind == "kids-not-array":
        return _sub(rb"/Kids \[[^\]]*\]", pick, lambda m: b"/Kids " + value)
    if kind == "filter-swap":
        return _sub(rb"/FlateDecode", pick, lambda m: b"/LZWDecode")
    return _duplicate_object(pick)


def draw_type(m: re.Match[bytes], pick: float) -> bytes:
    names = [b"/Pages", b"/Page", b"/Catalog", b"/Font", b"/XObject"]
    return b"/Type " + names[int(pick * len(names))]


def _self_kids(data: bytes) -> bytes:
    """Every /Pages node lists itself as its first kid (the classic page-tree loop)."""
    out = data
    for m in re.finditer(rb"(\d+) 0 obj\s*<<(?:(?!endobj).)*?/Type\s*/Pages", data, flags=re.S):
        num = m.group(1)
        out = out.replace(b"/Kids [", b"/Kids [ " + num + b" 0 R ", 1)
    return out


def _duplicate_object(pick: float) -> Mutation:
    """Two definitions of one object number: the later one (a stub) wins in a naive reader."""

    def apply(data: bytes) -> bytes:
        nums = re.findall(rb"(\d+) 0 obj", data)
        if not nums:
            return data
        num = nums[int(pick * len(nums))]
        at = data.rfind(b"xref")
        at = at if at > 0 else len(data)
        return data[:at] + num + b" 0 obj\n<< /Type /Page >>\nendobj\n" + data[at:]

    return apply


# --------------------------------------------------------------------------- packages (DOCX, zip)

XML_DAMAGE = (
    "truncate", "bad-byte", "unclosed", "billion-laughs", "external-entity", "parameter-entity",
    "deep-nesting", "wrong-encoding", "empty", "not-xml", "huge-attribute",
)


def xml_damage(kind: str, depth: int, cut: float) -> Callable[[bytes], bytes]:
    def apply(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1] if xml.startswith(b"<?xml") else xml
        if kind == "truncate":
            return xml[: int(len(xml) * cut)]
        if kind == "bad-byte":
            at = int(len(xml) * cut)
            return xml[:at] + b"\xff\x00<" + xml[at:]
        if kind == "unclosed":
            return xml.replace(b"</w:p>", b"", 1)
        if kind == "billion-laughs":
            ents = b"".join(
                b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">' % ((i,) + (i - 1,) * 10)
                for i in range(1, 10)
            )
            dtd = b'<!DOCTYPE w:document [<!ENTITY l0 "lol">' + ents + b"]>"
            return b"<?xml version='1.0'?>" + dtd + body.replace(b"<w:t>", b"<w:t>&l9;", 1)
        if kind == "external-entity":
            dtd = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            return b"<?xml version='1.0'?>" + dtd + body.replace(b"<w:t>", b"<w:t>&x;", 1)
        if kind == "parameter-entity":
            dtd = b'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>'
            return b"<?xml version='1.0'?>" + dtd + body
        if kind == "deep-nesting":
            return xml.replace(b"<w:t>", b"<w:x>" * depth + b"<w:t>", 1).replace(b"</w:t>", b"</w:t>" + b"</w:x>" * depth, 1)
        if kind == "wrong-encoding":
            return b"<?xml version='1.0' encoding='UTF-16'?>" + body
        if kind == "empty":
            return b""
        if kind == "not-xml":
            return b"%PDF-1.4 this is not XML at all"
        return xml.replace(b"<w:t>", b'<w:t a="' + b"A" * 1_000_000 + b'">', 1)

    return apply


def member(name: str) -> zipfile.ZipInfo:
    """A deflated member header with a fixed date, so a mutant is the same bytes on every run
    (`writestr(name)` stamps the current time, which made the derandomised CI run vary)."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 15, 9, 30, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def rebuild_zip(data: bytes, change: Callable[[str, bytes], bytes | None], order: Callable[[list[str]], list[str]] = lambda n: n) -> bytes:
    """The same package with each member passed through `change` (None drops it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order(src.namelist()):
            new = change(name, src.read(name))
            if new is not None:
                dst.writestr(member(name), new)
    return out.getvalue()


def set_declared_size(data: bytes, size: int, which: str, pick: float) -> bytes:
    """Rewrite one member's declared uncompressed size in the central directory (a lie)."""
    buf = bytearray(data)
    heads = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    if not heads:
        return data
    at = heads[int(pick * len(heads))]
    offset = {"uncompressed": 24, "compressed": 20}[which]
    buf[at + offset: at + offset + 4] = (size & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes(buf)
