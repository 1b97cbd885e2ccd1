"""Hostile containers: each attack is bounded (time, memory, depth, count) and fails closed.

Zip bombs and deep nesting, XML entity expansion and external entities in DOCX parts, path
traversal member names, symbolic links out of a scanned folder, and enormous page, part and
member counts. Every file is built here from the committed fixtures; nothing is mocked.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pdf_bytes import pdf_from_objects

import redactguard
from redactguard.readers.base import Limits
from redactguard.sources import collect

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
ORDER = FIXTURES / "sample-case" / "order.yaml"
HEADER_DOCX = FIXTURES / "vectors" / "docx-header.docx"
PHONE = "07700 900461"  # a protected value of the sample order


def scan(*paths: Path | str, **kw: Any) -> redactguard.Report:
    return redactguard.scan([str(p) for p in paths], ORDER, "respondent", generic=False, model=None, **kw)


def problem_codes(report: redactguard.Report) -> list[str]:
    return [p.code for d in report.documents for p in d.problems]


def docx_with(changes: dict[str, bytes], base: Path = HEADER_DOCX) -> bytes:
    src = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, changes.get(name, src.read(name)))
        for name in set(changes) - set(src.namelist()):
            dst.writestr(name, changes[name])
    return out.getvalue()


def zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """A deflated member of `size` zero bytes, written without holding them in memory."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            fh.write(chunk)


def peak_rss_mb_of(code: str) -> tuple[str, float]:
    """Run `code` in a fresh interpreter; its stdout and its peak resident memory in MB.

    The peak is the interpreter's own (VmHWM of /proc/self/status): `ru_maxrss` survives exec on
    Linux, so it would carry the test runner's own size over into the child's figure."""
    wrapper = code + (
        "\nimport re, resource"
        "\ntry:\n    kb = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
        "\nexcept (OSError, AttributeError):\n    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"
        "\nprint('PEAK', kb)"
    )
    done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    out, _, peak = done.stdout.rpartition("PEAK ")
    return out, int(peak) / 1024


# --------------------------------------------------------------------------- zip bombs and nesting


def test_zip_bomb_in_a_bundle_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "zeros.bin", 1 << 30)  # 1 GiB of zeros in about 1 MB
        zf.write(FIXTURES / "files" / "plain.txt", "note.txt")
    assert bomb.stat().st_size < 5_000_000

    out, peak = peak_rss_mb_of(
        "import redactguard\n"
        f"r = redactguard.scan([{str(bomb)!r}], {str(ORDER)!r}, 'respondent', generic=False, model=None)\n"
        "print(sorted((d.path.rsplit('/', 1)[-1], d.status, tuple(p.code for p in d.problems)) for d in r.documents))"
    )

    assert "('zeros.bin', 'unreadable', ('limit_exceeded',))" in out
    assert "('note.txt', 'blocked', ())" in out  # the rest of the bundle is still checked
    assert peak < 600, f"peak memory {peak:.0f} MB: the bomb was inflated"


def test_zip_bomb_that_lies_about_its_size_is_cut_at_the_declared_size(tmp_path: Path) -> None:
    """A member whose header declares 1 KB but which inflates to 64 MB: never read past 1 KB."""
    honest = io.BytesIO()
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "zeros.txt", 64 << 20)
    data = bytearray(honest.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24: central + 28] = (1024).to_bytes(4, "little")  # declared uncompressed size
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))

    started = time.monotonic()
    report = scan(path)

    assert report.documents[0].status == "unreadable"
    assert problem_codes(report) == ["corrupt"]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("where", ["bundle", "docx"])
def test_a_member_whose_deflate_stream_is_damaged_is_corrupt_not_a_crash(where: str, tmp_path: Path) -> None:
    """Found by fuzzing: zlib.error is neither OSError nor ValueError, so it escaped the zip
    handling and crashed the whole scan (no report for any document)."""
    inner = "word/document.xml" if where == "docx" else "note.txt"
    base = HEADER_DOCX.read_bytes() if where == "docx" else None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if base is None:
            zf.writestr(inner, b"PK" + bytes(4000))
            zf.write(FIXTURES / "files" / "plain.txt", "other.txt")
        else:
            for name in zipfile.ZipFile(io.BytesIO(base)).namelist():
                zf.writestr(name, zipfile.ZipFile(io.BytesIO(base)).read(name))
    data = bytearray(buf.getvalue())
    local = data.find(b"PK\x03\x04" + data[4:8]) if base is None else data.find(inner.encode()) - 30
    start = local + 30 + int.from_bytes(data[local + 26: local + 28], "little") + int.from_bytes(data[local + 28: local + 30], "little")
    data[start] = 0xFF  # deflate block type 3: "invalid block type"
    path = tmp_path / ("bundle.zip" if base is None else "damaged.docx")
    path.write_bytes(bytes(data))

    report = scan(path)

    assert report.exit_code() in (1, 3)
    assert "corrupt" in problem_codes(report)
    if base is None:
        assert {Path(d.path.split("!/")[-1]).name: d.status for d in report.documents}["other.txt"] == "blocked"


@pytest.mark.parametrize("command", ["scan", "redact"])
def test_a_member_with_an_empty_name_is_a_document(command: str, tmp_path: Path) -> None:
    """Found by fuzzing: ZipInfo.is_dir() raises IndexError on an empty name, which crashed the
    whole scan."""
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("x")
        info.filename = ""
        zf.writestr(info, f"ring {PHONE}\n")
        zf.writestr("other.txt", "Nothing to see.\n")

    if command == "scan":
        report = scan(path)
        assert sorted((d.path.split("!/")[1], d.status) for d in report.documents) == [("", "blocked"), ("other.txt", "clean")]
    else:
        done = redactguard.redact([path], ORDER, "respondent", output_dir=tmp_path / "out")
        assert done.exit_code() in (0, 1, 3)  # an answer, not a crash


def test_zips_nested_past_the_depth_limit_stop_at_the_limit(tmp_path: Path) -> None:
    inner = (FIXTURES / "files" / "plain.txt").read_bytes()
    name = "note.txt"
    for level in range(40):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(name, inner)
        inner, name = buf.getvalue(), f"level-{level}.zip"
    path = tmp_path / "deep.zip"
    path.write_bytes(inner)

    started = time.monotonic()
    report = scan(path)

    assert [d.status for d in report.documents] == ["unreadable"]
    assert problem_codes(report) == ["limit_exceeded"]
    assert report.documents[0].path.count("!/") == Limits().max_depth
    assert time.monotonic() - started < 10


def test_a_docx_embedding_itself_over_and_over_stops_at_the_depth_limit() -> None:
    data = HEADER_DOCX.read_bytes()
    for _ in range(12):
        data = docx_with({"word/embeddings/Inner.docx": data})
    scanner = redactguard.Scanner(redactguard.load_order(ORDER), "respondent", redactguard.ScanOptions(generic=False, model=None))

    result = scanner.scan_bytes(data, "matryoshka.docx")

    assert "limit_exceeded" in [p.code for p in result.problems]
    assert result.status in ("blocked", "unreadable")


# --------------------------------------------------------------------------- XML entities


def _with_dtd(xml: bytes, dtd: bytes, use: bytes) -> bytes:
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return b"<?xml version='1.0' encoding='UTF-8'?>" + dtd + body.replace(b"<w:t>", b"<w:t>" + use, 1)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside the document holding a protected value: an external entity could pull it in."""
    path = tmp_path / "outside.txt"
    path.write_text(f"call {PHONE}\n", encoding="utf-8")
    return path


ENTITY_ATTACKS: dict[str, Callable[[Path], tuple[bytes, bytes]]] = {
    "billion-laughs": lambda _: (
        b'<!DOCTYPE w:hdr [<!ENTITY l0 "lol">'
        + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
        + b"]>",
        b"&l9;",
    ),
    "external-entity-file": lambda f: (b'<!DOCTYPE w:hdr [<!ENTITY x SYSTEM "file://%s">]>' % str(f).encode(), b"&x;"),
    "external-parameter-entity": lambda f: (b'<!DOCTYPE w:hdr [<!ENTITY %% p SYSTEM "file://%s"> %%p;]>' % str(f).encode(), b""),
    "external-dtd": lambda f: (b'<!DOCTYPE w:hdr SYSTEM "file://%s">' % str(f).encode(), b""),
    "entity-hides-the-value": lambda _: (b'<!DOCTYPE w:hdr [<!ENTITY x "call %s">]>' % PHONE.encode(), b"&x;"),
}


@pytest.mark.parametrize("part", ["word/header1.xml", "word/document.xml", "docProps/core.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"])
@pytest.mark.parametrize("attack", list(ENTITY_ATTACKS))
def test_dtd_in_a_docx_part_is_never_expanded_and_fails_closed(part: str, attack: str, secret_file: Path, tmp_path: Path) -> None:
    dtd, use = ENTITY_ATTACKS[attack](secret_file)
    original = zipfile.ZipFile(HEADER_DOCX).read(part)
    path = tmp_path / "hostile.docx"
    path.write_bytes(docx_with({part: _with_dtd(original, dtd, use)}))

    started = time.monotonic()
    report = scan(path)
    (doc,) = report.documents

    assert time.monotonic() - started < 10  # a billion laughs expanded would not finish
    assert doc.status in ("unreadable", "blocked")  # never clean: the DTD's text is not checked
    # refused for its DTD; libxml2 itself refuses some (an entity loop is a syntax error)
    assert set(problem_codes(report)) & {"unsupported_part", "corrupt"}
    assert not any(f.item == "applicant-phone" for f in doc.findings)  # the outside file was never read


def test_parse_xml_reads_no_file_and_expands_no_entity(secret_file: Path) -> None:
    """Below the reader: lxml is never asked to fetch the SYSTEM file or expand an entity."""
    from lxml import etree

    from redactguard.errors import UnreadableDocument
    from redactguard.readers.docx import parse_xml

    xml = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file://%s"><!ENTITY y "&x;&x;">]><d>&y;</d>' % str(secret_file).encode()
    with pytest.raises(UnreadableDocument) as raised:
        parse_xml(xml)
    assert raised.value.code == "unsupported_part"
    # the same parser settings without our DTD check: the entity stays a reference
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    assert PHONE not in "".join(etree.fromstring(xml, parser=parser).itertext())


# --------------------------------------------------------------------------- path traversal


TRAVERSAL_NAMES = ["../../escaped-{n}.txt", "/tmp/escaped-{n}.txt", "..\\..\\escaped-{n}.txt", "a/../../../escaped-{n}.txt", "C:/escaped-{n}.txt"]


def _traversal_zip(path: Path, token: str) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for i, pattern in enumerate(TRAVERSAL_NAMES):
            info = zipfile.ZipInfo("x")
            info.filename = pattern.format(n=f"{token}-{i}")  # set after: ZipInfo would sanitise it
            zf.writestr(info, f"ring {PHONE}\n")


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_traversal_member_names_are_labels_and_nothing_is_extracted(tmp_path: Path) -> None:
    """Scan and redact a zip whose members are named to escape: each is a document named by its
    label, and no file appears anywhere (the zip is read in memory, never extracted)."""
    token = f"rg{os.getpid()}{time.monotonic_ns()}"
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    bundle = work / "bundle.zip"
    _traversal_zip(bundle, token)
    before = _files_under(tmp_path)

    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "redactguard", "scan", str(bundle), "--order", str(ORDER), "--recipient", "respondent",
         "--no-generic", "--format", "json", "--jobs", "2"],
        capture_output=True, text=True, cwd=work, env=env, timeout=300,
    )

    assert done.returncode == 1
    import json

    docs = json.loads(done.stdout)["documents"]
    assert sorted(d["path"].split("!/", 1)[1] for d in docs) == sorted(p.format(n=f"{token}-{i}") for i, p in enumerate(TRAVERSAL_NAMES))
    assert {d["status"] for d in docs} == {"blocked"}
    assert _files_under(tmp_path) - before == {tmp_path / "tmp"} - before
    assert list((tmp_path / "tmp").iterdir()) == []
    for root in ("/tmp", str(tmp_path.parent), "/"):
        assert not any(token in name for name in os.listdir(root))


# --------------------------------------------------------------------------- symbolic links


def test_symlinks_out_of_a_scanned_folder_are_not_followed_and_fail_closed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"ring {PHONE}\n", encoding="utf-8")
    root = tmp_path / "bundle"
    root.mkdir()
    (root / "clean.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    (root / "link-to-file.txt").symlink_to(outside / "secret.txt")
    (root / "link-to-folder").symlink_to(outside, target_is_directory=True)

    report = scan(root)
    by_name = {Path(d.path).name: d for d in report.documents}

    assert by_name["clean.txt"].status == "clean"
    for link in ("link-to-file.txt", "link-to-folder"):
        assert by_name[link].status == "unreadable", link
        assert [p.code for p in by_name[link].problems] == ["unsupported_type"]
        assert by_name[link].findings == ()  # not read: the target was never opened
    assert report.exit_code() == 3


def test_symlinks_inside_the_folder_are_checked_once_through_their_target(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    (root / "letters").mkdir(parents=True)
    (root / "letters" / "secret.txt").write_text(f"ring {PHONE}\n", encoding="utf-8")
    (root / "alias.txt").symlink_to(root / "letters" / "secret.txt")
    (root / "alias-folder").symlink_to(root / "letters", target_is_directory=True)
    (root / "letters" / "loop").symlink_to(root, target_is_directory=True)  # a cycle

    report = scan(root)

    assert report.exit_code() == 1
    assert {Path(d.path).name for d in report.documents} == {"alias.txt", "secret.txt"}
    assert all(d.status == "blocked" for d in report.documents)


def test_a_symlink_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    """Naming a link as a PATH is asking for it; only links met inside a folder are refused."""
    outside = tmp_path / "outside.txt"
    outside.write_text(f"ring {PHONE}\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)

    assert [d.status for d in scan(link).documents] == ["blocked"]
    assert [s.path for s in collect([str(tmp_path)], follow_symlinks=True)].count(str(link)) == 1


# --------------------------------------------------------------------------- enormous counts


def _pdf_with_pages(count: int) -> bytes:
    """One page object listed `count` times in the page tree (a few bytes per page)."""
    kids = b" ".join([b"3 0 R"] * count)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return pdf_from_objects(objects, version=b"1.4")


def test_a_pdf_with_more_pages_than_the_limit_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "many-pages.pdf"
    path.write_bytes(_pdf_with_pages(Limits().max_pages + 1))

    started = time.monotonic()
    report = scan(path)

    assert problem_codes(report) == ["limit_exceeded"]
    assert time.monotonic() - started < 30


def test_a_pdf_declaring_a_billion_pages_is_read_by_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "lying-count.pdf"
    path.write_bytes(_pdf_with_pages(2).replace(b"/Count 2", b"/Count 1000000000"))

    report = scan(path)

    assert report.documents[0].pages == 2
    assert report.documents[0].status == "clean"


def test_a_docx_with_more_parts_than_the_limit_is_refused(tmp_path: Path) -> None:
    extra = {f"word/media/blank{i}.bin": b"" for i in range(Limits().max_parts + 1)}
    path = tmp_path / "many-parts.docx"
    path.write_bytes(docx_with(extra))

    assert problem_codes(scan(path)) == ["limit_exceeded"]


def test_a_bundle_with_more_members_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many-members.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"m{i}.txt", b"")

    report = scan(path)

    assert [d.status for d in report.documents] == ["unreadable"]
    assert problem_codes(report) == ["limit_exceeded"]


def test_a_docx_part_declaring_a_huge_size_is_refused_unread(tmp_path: Path) -> None:
    data = bytearray(HEADER_DOCX.read_bytes())
    at = data.find(b"PK\x01\x02")
    at = data.find(b"PK\x01\x02", at + 4)  # second member's central directory entry
    data[at + 24: at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    path = tmp_path / "huge-part.docx"
    path.write_bytes(bytes(data))

    report = scan(path)

    assert report.documents[0].status in ("unreadable", "blocked")
    assert set(problem_codes(report)) & {"limit_exceeded", "corrupt"}
