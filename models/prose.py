"""Ordinary English prose with no entities, from what this Python ships: training negatives.

The generated court sentences have a small vocabulary outside their entity slots, so the model
learnt that an unfamiliar capitalised word (a sentence start, a heading, a product name) is a
name. Real prose fixes that: every sentence here is a negative example. Two sources, both
shipped with CPython and both under the PSF License 2.0:

- `pydoc_data.topics`: the language reference's topics that `help()` shows;
- the docstrings of the standard library's modules (not its tests) and of their public classes and
  functions.

Only paragraphs of running text are kept (no indented code, no grammar rules), cut into
sentences; sentences that look like code or name an author are dropped. The list is sorted and
deduplicated, so it depends only on the Python version (recorded in metrics.json).
"""

from __future__ import annotations

import ast
import re
import sysconfig
from pathlib import Path

__all__ = ["sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_CODE = re.compile(r"[_=<>{}\[\]|\\#@$~^`*]|\(\)|::|\.\w+\(|\b\w+\.\w+\b|https?:|\.\.\.|>>>")
#: Authors and maintainers are people: a sentence with one of these is not a safe negative.
_PEOPLE = re.compile(r"(?i)\b(?:copyright|author|written by|contributed by|thanks to|maintainer|"
                     r"guido|rossum|peters|van)\b")


def _paragraphs(text: str) -> list[str]:
    """Running-text paragraphs: blocks of lines that are not indented (indented ones are code)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.splitlines()
        if not lines or any(line[:1].isspace() for line in lines if line.strip()):
            continue
        if any(set(line.strip()) <= set("*=-~^") for line in lines):  # a heading underline
            continue
        out.append(" ".join(line.strip() for line in lines))
    return out


def _keep(sentence: str) -> bool:
    words = sentence.split()
    return (6 <= len(words) <= 40 and sentence[0].isupper() and sentence[-1] in ".!?"
            and not _CODE.search(sentence) and not _PEOPLE.search(sentence)
            and sum(c.isalpha() or c.isspace() for c in sentence) / len(sentence) > 0.9)


def _docstrings() -> list[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(stdlib.rglob("*.py")):
        if {"test", "tests", "site-packages", "dist-packages", "idle_test"} & set(path.relative_to(stdlib).parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        nodes = [tree] + [n for n in ast.walk(tree)
                          if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and not n.name.startswith("_")]
        out += [doc for n in nodes if (doc := ast.get_docstring(n))]
    return out


def sentences() -> list[str]:
    """Every kept sentence, sorted and without duplicates."""
    from pydoc_data.topics import topics

    texts = [topics[key] for key in sorted(topics)] + _docstrings()
    found = set()
    for text in texts:
        for paragraph in _paragraphs(text):
            found.update(s.strip() for s in _SENTENCE_END.split(paragraph) if _keep(s.strip()))
    return sorted(found)
