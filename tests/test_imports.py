"""Importing redactguard is cheap and leaves the host's imports alone.

Each case runs in a fresh interpreter: what is imported, and how, is the point.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def run(code: str) -> dict:
    """Run `code` in a fresh interpreter; its last line of output is JSON."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_redactguard_imports_neither_presidio_nor_spacy_and_adds_no_import_hook() -> None:
    got = run("""
        import json, sys
        hooks = list(sys.meta_path)
        import redactguard, redactguard.api, redactguard.cli, redactguard.scanner
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("presidio_analyzer", "spacy", "thinc"))
        print(json.dumps({"heavy": heavy, "same_hooks": sys.meta_path == hooks}))
    """)
    assert got == {"heavy": [], "same_hooks": True}


def test_after_a_generic_scan_the_host_imports_presidio_the_ordinary_way() -> None:
    got = run("""
        import importlib.machinery, json, sys
        hooks = list(sys.meta_path)
        from redactguard import Scanner, ScanOptions
        scanner = Scanner(options=ScanOptions(generic=True))
        result = scanner.scan_bytes(b"Jane Ashworth lives at 14 Cherry Tree Road, Leeds LS6 3EX.", "doc.txt")
        package = sys.modules["presidio_analyzer"]
        names = vars(package).get("__all__", ())  # read without a module __getattr__, before the host asks
        init_ran = "AnalyzerEngine" in names and all(name in vars(package) for name in names)
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer
        from redactguard.detectors.generic import _PROCESS_CACHE
        print(json.dumps({
            "kinds": sorted({f.kind for f in result.findings}),
            "same_hooks": sys.meta_path == hooks,
            "init_ran": init_ran,
            "source_loader": isinstance(package.__loader__, importlib.machinery.SourceFileLoader),
            "origin": package.__spec__.origin.endswith("presidio_analyzer/__init__.py"),
            "engine": AnalyzerEngine.__module__,
            "same_classes": any(type(r) is UkPostcodeRecognizer for r in _PROCESS_CACHE["patterns"][0]),
        }))
    """)
    assert {"address", "person"} <= set(got.pop("kinds"))
    assert got == {"same_hooks": True, "init_ran": True, "source_loader": True, "origin": True,
                   "engine": "presidio_analyzer.analyzer_engine", "same_classes": True}


def test_importing_redactguard_loads_no_format_machinery() -> None:
    """`redactguard --help` and a text-only scan pay nothing for PDF, DOCX or proposals: each
    format's reader, redactor and proposal code loads when a file of it is met."""
    got = run("""
        import json, sys
        import redactguard, redactguard.cli
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pypdf", "docx", "pypdfium2", "lxml")
                        or m.startswith(("redactguard.redactors.pdf", "redactguard.readers.pdf", "redactguard.proposals.pdf",
                                         "redactguard.proposals.docx")))
        print(json.dumps(loaded))
    """)
    assert got == []
