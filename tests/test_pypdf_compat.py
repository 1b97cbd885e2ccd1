"""The pypdf that is installed gives what redactguard uses of it, and redactguard leaves pypdf's
logging alone.

`redactguard/readers/pypdf_compat.py` holds every use of a pypdf name outside its public API;
each check below runs one of those uses, as the code uses it, on the installed pypdf, so a pypdf
release that renames, moves or changes one fails here (the second half breaks each one on
purpose, and its check must fail). The reader's damage detection relies on two public
behaviours, checked the same way: decoding with Flate recovery off raises where pypdf would
recover part of a stream, and strict mode refuses a file whose cross-reference pypdf rebuilds.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdf_bytes import pdf_from_objects, plain
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from redactguard.readers import pdf as reader_module
from redactguard.readers import pypdf_compat as compat

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "files" / "simple-2page.pdf"
TREE = pdf_from_objects([  # pages inherit /MediaBox and /Rotate from the page tree; one is inline
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 /MediaBox [0 0 300 300] /Rotate 90 >>",
    b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R << /Type /Page /Parent 3 0 R >>] /Count 2 /MediaBox [0 0 200 200] >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 400] >>",
    b"<< /Type /Page /Parent 3 0 R >>",
])


def _flate(data: bytes) -> StreamObject:
    stream = StreamObject.initialize_from_dictionary({"/Filter": NameObject("/FlateDecode"), "__streamdata__": data})
    assert isinstance(stream, StreamObject)
    return stream


# ------------------------------------------------------------------ one check per use

def check_lean_page_list() -> None:
    eager, lean = PdfReader(io.BytesIO(TREE)), PdfReader(io.BytesIO(TREE))
    assert compat.lean_page_list(lean), "pypdf has no page-tree walk to make lean"
    assert len(lean.pages) == len(eager.pages) == 3
    assert type(lean.flattened_pages).__name__ == "_LazyPages"
    assert [plain(p) for p in lean.pages] == [plain(p) for p in eager.pages]
    assert [plain(p.indirect_reference) for p in lean.pages] == [plain(p.indirect_reference) for p in eager.pages]
    assert [p["/Rotate"] for p in lean.pages] == [90, 90, 90]


def check_forget_objects() -> None:
    reader = PdfReader(io.BytesIO(TREE))
    assert len(reader.pages) == 3
    assert isinstance(reader.resolved_objects, dict) and reader.resolved_objects
    compat.forget_objects(reader)
    assert reader.resolved_objects == {}
    assert plain(reader.pages[0]["/MediaBox"]) == [0, 0, 200, 200]  # read again where needed


def check_font() -> None:
    font = compat.font(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }))
    assert font.encoding is not None and isinstance(font.character_map, dict)
    assert font.character_widths["A"] == 667 and "default" in font.character_widths
    assert font.space_char == " " and font.space_width == 278 and font.interpretable
    assert font.font_descriptor.ascent > 0 > font.font_descriptor.descent


def check_core_font() -> None:
    compat.core_font.cache_clear()
    assert compat.core_font("/Helvetica").get_text_width("AB") == 667 + 667
    assert compat.core_font("/Arial") is not None  # an alias pypdf knows the widths of
    assert compat.core_font("/NoSuchFont") is None


def check_add_object() -> None:
    writer = PdfWriter()
    stream = _flate(zlib.compress(b"0 0 m"))
    ref = compat.add_object(writer, stream)
    assert isinstance(ref, IndirectObject) and writer.get_object(ref) is stream


def check_renew_file_identifier() -> None:
    first, second = ByteStringObject(b"1" * 16), ByteStringObject(b"2" * 16)
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    compat.renew_file_identifier(writer, first)
    out = io.BytesIO()
    writer.write(out)
    again = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    compat.renew_file_identifier(again, second)
    out = io.BytesIO()
    again.write(out)
    identifiers = PdfReader(io.BytesIO(out.getvalue())).trailer["/ID"]
    assert [getattr(i, "original_bytes", i) for i in identifiers] == [first, second]


def check_raw_data() -> None:
    stream = _flate(zlib.compress(b"old"))
    assert stream.get_data() == b"old"
    assert compat.raw_data(stream) == zlib.compress(b"old")
    compat.set_raw_data(stream, zlib.compress(b"new"))
    assert compat.raw_data(stream) == zlib.compress(b"new") and stream.get_data() == b"new"
    assert compat.raw_data(DictionaryObject()) is None


def check_recovery_is_seen() -> None:
    """pypdf decodes Flate data that breaks off as far as it goes, without an error; the reader
    sees it by reading first with that recovery off."""
    deflate = zlib.compressobj()
    data = deflate.compress(b"Mother now at 14 Cherry Tree Road") + deflate.flush(zlib.Z_SYNC_FLUSH) + b"\xff" * 16
    recovery = reader_module._Recovery()  # the last bytes start a block of no valid type
    assert recovery(_flate(data).get_data) == b"Mother now at 14 Cherry Tree Road"
    assert recovery.seen
    intact = reader_module._Recovery()
    assert intact(_flate(zlib.compress(b"whole")).get_data) == b"whole" and not intact.seen


def check_strict_mode_refuses_a_rebuilt_cross_reference() -> None:
    damaged = TREE.replace(b"startxref\n", b"startxref\n1")  # points nowhere: pypdf rebuilds it
    assert len(PdfReader(io.BytesIO(damaged)).pages) == 3
    assert reader_module._repaired(damaged) and not reader_module._repaired(TREE)


CHECKS: list[Callable[[], None]] = [
    check_lean_page_list, check_forget_objects, check_font, check_core_font, check_add_object,
    check_renew_file_identifier, check_raw_data, check_recovery_is_seen, check_strict_mode_refuses_a_rebuilt_cross_reference,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_the_installed_pypdf_gives_what_redactguard_uses(check: Callable[[], None]) -> None:
    check()


# ------------------------------------------------------------------ an incompatible pypdf fails them

def _walk_owner() -> type:
    return next(c for c in PdfReader.__mro__ if "_flatten_leaf_page" in vars(c))


def _no_resolved_objects(mp: pytest.MonkeyPatch) -> None:
    init = PdfReader.__init__

    def renamed(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.object_cache = self.__dict__.pop("resolved_objects")

    mp.setattr(PdfReader, "__init__", renamed)


BREAKAGES: list[tuple[Callable[[], None], Callable[[pytest.MonkeyPatch], None]]] = [
    (check_lean_page_list, lambda mp: mp.delattr(_walk_owner(), "_flatten_leaf_page")),
    (check_lean_page_list, lambda mp: mp.setattr(_walk_owner(), "_flatten_leaf_page", lambda self, item, list_only: None)),
    (check_forget_objects, _no_resolved_objects),
    (check_font, lambda mp: mp.delattr("pypdf.generic._font.Font")),
    (check_core_font, lambda mp: mp.delattr("pypdf.generic._font.Font.from_core_font_name")),
    (check_add_object, lambda mp: mp.delattr(PdfWriter, "_add_object")),
    (check_renew_file_identifier, lambda mp: mp.setattr(PdfWriter, "_ID", property(lambda self: None), raising=False)),
    (check_raw_data, lambda mp: mp.setattr(StreamObject, "get_data", lambda self: b"decoded")),
    (check_recovery_is_seen, lambda mp: mp.setattr(pypdf, "apply_configuration", lambda **_: nullcontext())),
    (check_strict_mode_refuses_a_rebuilt_cross_reference,
     lambda mp: mp.setattr(pypdf, "PdfReader", lambda stream, strict=False: PdfReader(stream))),
]


@pytest.mark.parametrize(("check", "breakage"), BREAKAGES, ids=lambda v: getattr(v, "__name__", ""))
def test_each_check_fails_on_a_pypdf_without_what_it_checks(
    check: Callable[[], None], breakage: Callable[[pytest.MonkeyPatch], None], monkeypatch: pytest.MonkeyPatch,
) -> None:
    breakage(monkeypatch)
    with pytest.raises((AssertionError, AttributeError, ImportError, TypeError, KeyError)):
        check()
    compat.core_font.cache_clear()


def test_every_check_is_broken_once() -> None:
    assert {check for check, _ in BREAKAGES} == set(CHECKS)


# ------------------------------------------------------------------ pypdf's logging is the host's

def test_importing_and_reading_leave_the_pypdf_logger_as_it_was() -> None:
    """pypdf's log lines can quote a document; whether they are shown is the host's logging
    configuration to decide (the CLI's: `diagnostics.quiet_log`), so importing redactguard, its
    PDF reader and redactor, and reading a damaged PDF change no logger."""
    code = f"""
        import json, logging
        def state():
            return {{name: [logger.level, logger.propagate, logger.disabled, len(logger.handlers), len(logger.filters)]
                     for name, logger in [("", logging.getLogger()), *((n, logging.getLogger(n)) for n in
                                          ("pypdf", "pypdf._reader", "pypdf.filters"))]}}
        before = state()
        import redactguard, redactguard.readers.pdf, redactguard.redactors.pdf
        imported = state()
        from redactguard.readers import ReadContext, read_document
        data = bytearray(open({str(FIXTURE)!r}, "rb").read())
        ctx = ReadContext(name="damaged.pdf", ocr="never")
        list(read_document(bytes(data.replace(b"startxref\\n", b"startxref\\n1")), ctx, "pdf"))
        print(json.dumps({{"imported": imported == before, "read": state() == before,
                           "pypdf_level": logging.getLogger("pypdf").getEffectiveLevel()}}))
    """
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"imported": True, "read": True, "pypdf_level": 30}


def test_the_command_line_does_not_print_pypdf_warnings(tmp_path: Path) -> None:
    """With no handler configured, Python prints warnings on stderr; pypdf warns about a damaged
    file (and may quote it there). The command installs a handler that drops them."""
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(FIXTURE.read_bytes().replace(b"startxref\n", b"startxref\n1"))
    out = subprocess.run([sys.executable, "-m", "redactguard", "scan", str(damaged), "--no-generic", "--model", "none",
                          "--no-progress", "--jobs", "1", "--format", "json"], capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 3), out.stderr[-3000:]
    assert out.stderr == ""
    assert json.loads(out.stdout)["documents"][0]["type"] == "pdf"
