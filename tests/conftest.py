"""Shared fixtures: paths to the committed fixture files, the sample order, and a CLI runner.

Everything here hands out real files (committed under fixtures/ or built in tmp_path); nothing
is mocked. `protected_forms` is the one list of strings that must never appear in any output.
"""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from redactguard.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
FILES = FIXTURES / "files"
SAMPLE = FIXTURES / "sample-case"
BUNDLE = SAMPLE / "bundle"
ORDER_YAML = SAMPLE / "order.yaml"


@pytest.fixture(scope="session")
def files_dir() -> Path:
    """fixtures/files: small single-purpose files (see fixtures/README.md)."""
    return FILES


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    """fixtures/sample-case/bundle: the outgoing bundle of the sample case."""
    return BUNDLE


@pytest.fixture(scope="session")
def order_path() -> Path:
    """fixtures/sample-case/order.yaml: the contract §1 example order."""
    return ORDER_YAML


@pytest.fixture
def base_order() -> dict:
    """The sample order as a plain dict, a fresh copy per test, to build bad orders from."""
    return copy.deepcopy(yaml.safe_load(ORDER_YAML.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def protected_values() -> list[str]:
    """Every item's value and `also` spelling in the sample order."""
    order = yaml.safe_load(ORDER_YAML.read_text(encoding="utf-8"))
    out: list[str] = []
    for item in order["protected"]:
        out.append(item["value"])
        out.extend(item.get("also", []))
    return out


def normalise(text: str) -> str:
    """Case-folded, white space collapsed: how a leak is looked for in output."""
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="session")
def protected_forms(protected_values: list[str]) -> list[str]:
    """Normalised forms of every protected value, plus the phone as digits only."""
    forms = {normalise(v) for v in protected_values}
    forms |= {re.sub(r"\D", "", v) for v in protected_values if re.fullmatch(r"[\d\s+()-]+", v)}
    return sorted(forms)


def find_leaks(text: str, forms: Iterable[str]) -> list[str]:
    """Which of `forms` occur in `text`, both sides normalised. Returns forms, never `text`."""
    flat = normalise(text)
    return [f for f in forms if normalise(f) in flat]


@pytest.fixture(scope="session")
def leaks() -> Callable[[str, Iterable[str]], list[str]]:
    """`leaks(text, forms)`: the forms found in text (normalised, case-insensitive)."""
    return find_leaks


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """`run_cli("scan", path, "--order", order)`: invoke the click app in-process.

    stdout and stderr are kept apart (`result.stdout`, `result.stderr`); exceptions that
    escape the command are re-raised by the test through `result.exception` checks.
    A `scan` runs with `--no-generic` (these tests are about the order's items) unless the
    test passes `generic=True`; generic detection has its own tests.
    """
    runner = CliRunner()

    def run(*args: object, generic: bool = False) -> Result:
        argv = [str(a) for a in args]
        if argv[:1] == ["scan"] and not generic and "--no-generic" not in argv:
            argv.append("--no-generic")
        return runner.invoke(main, argv, catch_exceptions=False)

    return run


@pytest.fixture
def copy_fixtures(tmp_path: Path) -> Callable[..., Path]:
    """`copy_fixtures("folder", FILE, ...)`: a fresh folder in tmp_path holding copies of FILEs."""

    def make(name: str, *sources: Path) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for src in sources:
            shutil.copy2(src, folder / src.name)
        return folder

    return make
