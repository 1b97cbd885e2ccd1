"""Every file README.md names is in the repository: a reader of the wheel's README, or of a
checkout without ../shared beside it, is never sent to a file that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_path_the_readme_names_exists() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:docs|models|redactguard|fixtures|tools|benchmarks)/[\w./-]+)`", text))
    named |= set(re.findall(r"\]\(((?!https?:)[^)#]+)\)", text))

    assert named, "the README names no file (the pattern is wrong)"
    assert "docs/contract.md" in named
    assert [p for p in sorted(named) if not (ROOT / p).exists()] == []
    assert "../shared" not in text.split("## Development")[0]
