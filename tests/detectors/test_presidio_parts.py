"""Importing only the parts of Presidio the recognizers use (`presidio_parts`).

Each case runs in a fresh interpreter: what is imported, and in which order, is the point.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

TEXT = (
    "Ms Ashworth, 14 Lark Rise Road, Leeds LS6 2QD. NHS 943 476 5919, NI AB 12 34 56 C, "
    "IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111, call 07700 900123, "
    "email j.ashworth@example.co.uk, car AB12 CDE, date of birth 04/07/2015."
)

FINDINGS = """
from redactguard.detectors.recognizers import uk_recognizers
found = sorted(
    (r.entity_type, r.start, r.end, round(r.score, 4))
    for rec in uk_recognizers()
    for r in rec.analyze(TEXT, entities=rec.supported_entities, nlp_artifacts=None)
)
"""


def run(*code: str) -> dict:
    script = f"import json, sys\nTEXT = {TEXT!r}\n" + "".join(textwrap.dedent(part) for part in code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_light_import_skips_the_engine_and_finds_the_same_as_a_full_import():
    light = run(FINDINGS, """
        from redactguard.detectors.generic import GenericDetector
        GenericDetector("default", ()).load()  # spaCy loads every spacy_factories entry point, Presidio's too
        loaded = sorted(m for m in sys.modules if m.startswith("presidio_analyzer"))
        print(json.dumps({"found": found, "loaded": loaded}))
    """)
    full = run("import presidio_analyzer, presidio_analyzer.predefined_recognizers\n", FINDINGS, """
        print(json.dumps({"found": found}))
    """)
    assert light["found"] == full["found"]
    assert len(light["found"]) >= 8  # the text above has something for most recognizers
    # what the whole-library import would have brought in was left out, model loaded or not
    for skipped in ("presidio_analyzer.analyzer_engine", "presidio_analyzer.recognizer_registry",
                    "presidio_analyzer.predefined_recognizers.generic.url_recognizer"):
        assert skipped not in light["loaded"]


def test_the_rest_of_presidio_still_works_afterwards_with_the_same_classes():
    got = run(FINDINGS, """
        import presidio_analyzer
        standin = "__redactguard_standin__" in vars(presidio_analyzer)
        from presidio_analyzer import AnalyzerEngine, EntityRecognizer, PatternRecognizer, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: F401
        from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine
        from presidio_analyzer.predefined_recognizers import UrlRecognizer
        from redactguard.detectors.recognizers import uk_recognizers
        registry = RecognizerRegistry()
        for rec in uk_recognizers():
            assert isinstance(rec, EntityRecognizer)
            registry.add_recognizer(rec)  # Presidio checks the class
        registry.add_recognizer(UrlRecognizer())
        nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
        nlp.load()
        engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
        types = sorted({r.entity_type for r in engine.analyze(text=TEXT, language="en")})
        print(json.dumps({
            "standin_before": standin,
            "standin_after": "__redactguard_standin__" in vars(presidio_analyzer),
            "all": sorted(presidio_analyzer.__all__),
            "types": types,
        }))
    """)
    assert got["standin_before"] and not got["standin_after"]
    assert "AnalyzerEngine" in got["all"]
    assert {"UK_NHS", "IBAN_CODE", "EMAIL_ADDRESS", "URL"} <= set(got["types"])


def test_a_name_presidio_no_longer_has_falls_back_to_the_whole_library():
    got = run("""
        from redactguard.detectors.presidio_parts import NEEDED, import_parts
        needed = {**NEEDED, "presidio_analyzer": ("Pattern", "NoSuchName")}
        used = import_parts(needed=needed)
        import presidio_analyzer
        from redactguard.detectors.recognizers import uk_recognizers
        print(json.dumps({
            "used": used,
            "standin": "__redactguard_standin__" in vars(presidio_analyzer),
            "engine": "presidio_analyzer.analyzer_engine" in sys.modules,
            "recognizers": len(uk_recognizers()),
        }))
    """)
    assert got == {"used": False, "standin": False, "engine": True, "recognizers": got["recognizers"]}
    assert got["recognizers"] >= 10


def test_nothing_happens_when_presidio_is_already_imported():
    got = run("""
        import presidio_analyzer
        from redactguard.detectors.presidio_parts import import_parts
        print(json.dumps({"used": import_parts(), "standin": "__redactguard_standin__" in vars(presidio_analyzer)}))
    """)
    assert got == {"used": False, "standin": False}


@pytest.mark.parametrize("statement", [
    "from presidio_analyzer.analyzer_engine import AnalyzerEngine",
    "from presidio_analyzer.recognizer_registry import RecognizerRegistry",
    "import presidio_analyzer.batch_analyzer_engine",
    "from presidio_analyzer.nlp_engine import NlpEngineProvider",
    "from presidio_analyzer.nlp_engine.spacy_nlp_engine import SpacyNlpEngine",
    "from presidio_analyzer.predefined_recognizers.generic.url_recognizer import UrlRecognizer",
])
def test_any_first_import_of_the_rest_of_presidio_works(statement: str) -> None:
    """A submodule imported directly (no package attribute asked for first) meets complete
    packages, as an ordinary import would, and is imported once."""
    got = run("""
        import redactguard.detectors.recognizers as ours
        standin = "__redactguard_standin__" in vars(sys.modules["presidio_analyzer"])
    """, statement + "\n", """
        import presidio_analyzer.analyzer_engine as engine_module
        from presidio_analyzer import AnalyzerEngine, EntityRecognizer
        print(json.dumps({
            "standin_before": standin,
            "one_module": sys.modules["presidio_analyzer.analyzer_engine"] is engine_module
                          and engine_module.AnalyzerEngine is AnalyzerEngine,
            "own_loader": type(engine_module.__spec__.loader).__name__,
            "same_classes": all(isinstance(r, EntityRecognizer) for r in ours.uk_recognizers()),
        }))
    """)
    assert got == {"standin_before": True, "one_module": True, "own_loader": "SourceFileLoader", "same_classes": True}
