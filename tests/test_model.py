"""The default spaCy pipeline in models/: loads offline, and reproduces its model card's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "models" / "redactguard_en"
SYNTH = REPO.parent / "shared" / "data" / "presidio-research" / "data" / "synth_dataset_v2.json"


def test_model_loads_offline_with_only_the_components_it_needs() -> None:
    code = (
        "import socket, spacy\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        f"nlp = spacy.load({str(MODEL)!r})\n"
        "print(','.join(nlp.pipe_names))\n"
        "doc = nlp('Ms Jane Ashworth moved to 14 Cherry Tree Road in Headingley.')\n"
        "print(len(doc.ents))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    names, ents = out.stdout.split()
    assert set(names.split(",")) <= {"tok2vec", "entity_ruler", "ner"}
    assert int(ents) >= 1


def test_model_is_small() -> None:
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 10 * 1000 * 1000


def test_model_card_figures_are_reproduced() -> None:
    """models/evaluate.py re-measures the held-out (and synth, when present) figures and compares
    them with models/metrics.json, from which the model card's tables are written."""
    if not SYNTH.exists():
        pytest.skip("synth_dataset_v2.json (../shared) is absent; metrics.json includes it")
    out = subprocess.run(
        [sys.executable, str(REPO / "models" / "evaluate.py"), "--no-speed", "--check", str(REPO / "models" / "metrics.json")],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


#: Issue [16]'s bar for the model. PERSON precision on synth_dataset_v2 must reach
#: en_core_web_sm 3.8's (models/metrics_en_core_web_sm.json). The other figures must not fall
#: below those of redactguard_en 0.1.0, the model before the issue: PERSON recall on synth,
#: ADDRESS overlap F1 and institution (ORG) recall on the held-out split.
SYNTH_PERSON_PRECISION = 0.63
BEFORE = {"synth_person_recall": 0.5123, "heldout_address_overlap_f1": 0.9714, "heldout_org_recall": 0.9318}


def _metrics() -> dict:
    return json.loads((REPO / "models" / "metrics.json").read_text(encoding="utf-8"))


def test_model_keeps_addresses_and_institutions_on_the_heldout_split() -> None:
    heldout = _metrics()["heldout"]
    assert heldout["overlap"]["ADDRESS"]["f"] >= BEFORE["heldout_address_overlap_f1"]
    assert heldout["exact"]["ORG"]["r"] >= BEFORE["heldout_org_recall"]


def _synth_person() -> dict:
    """metrics.json's synth figures, which test_model_card_figures_are_reproduced re-measures."""
    if not SYNTH.exists():
        pytest.skip("synth_dataset_v2.json (../shared) is absent")
    return _metrics()["synth_dataset_v2"]["exact"]["PERSON"]


def test_model_person_recall_on_synth_is_no_lower_than_before() -> None:
    assert _synth_person()["r"] >= BEFORE["synth_person_recall"]


@pytest.mark.xfail(strict=True, reason="issue [16]: PERSON precision on synth is 0.58, the bar is 0.63 "
                                       "(models/README.md, What is left); strict, so reaching it fails here")
def test_model_person_precision_reaches_en_core_web_sm_on_synth() -> None:
    assert _synth_person()["p"] >= SYNTH_PERSON_PRECISION
