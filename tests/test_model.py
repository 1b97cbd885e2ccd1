"""The default spaCy pipeline in models/: loads offline, and reproduces its model card's figures."""

from __future__ import annotations

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
    assert size < 30 * 1024 * 1024


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
