"""Every real-world file of ../shared/data/corpus ends clean or unreadable with a problem code.

Opt-in (`make corpus` or `pytest -m corpus`): ~600 files take a few minutes. Skips when the
shared corpus is absent. The order's values occur nowhere in the corpus, so any finding, any
status other than clean/unreadable, or an unreadable document without a code is a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "corpus"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/data/corpus is not present"),
]


def test_corpus_ends_clean_or_unreadable_with_a_code() -> None:
    sys.path.insert(0, str(REPO / "tools"))
    import corpus_run

    result = corpus_run.run(CORPUS, jobs=2, timeout=60.0)
    print(result)
    assert result["files"] >= 500
    assert result["breaches"] == []
    assert result["unreadable_without_code"] == []
    statuses = result["status"]
    assert isinstance(statuses, dict)
    assert set(statuses) <= {"clean", "unreadable"}
