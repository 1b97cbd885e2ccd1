"""Damaged and hostile PDFs: every outcome is a finding, a problem, or a clean file that no other
reader can see a protected value in (see conftest.py for the rules and the oracles)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactguard.scanner import Scanner

from .conftest import FIXTURES, check_mutant, pdf_oracle_text, qpdf_variant, scaled
from .mutations import Mutation, byte_damage, pdf_structure

#: simple-2page: page 1 innocuous, page 2 the address; police-letter: the address on page 1.
SEEDS = {
    "simple-2page": FIXTURES / "files" / "simple-2page.pdf",
    "police-letter": FIXTURES / "sample-case" / "bundle" / "police-letter.pdf",
}
#: as built by ReportLab; rewritten by qpdf uncompressed (text in the clear, easy to damage
#: precisely); rewritten with object streams and a cross-reference stream.
VARIANTS = ("as-built", "qdf", "objstm")
SEED_NAMES = [f"{s}/{v}" for s in SEEDS for v in VARIANTS]
#: What the fuzz tests draw from: without qpdf, the as-built files only (a skip inside @given
#: would skip every example).
USABLE = [n for n in SEED_NAMES if n.endswith("/as-built") or shutil.which("qpdf")]


def seed_bytes(name: str) -> bytes:
    stem, variant = name.split("/")
    data = SEEDS[stem].read_bytes() if variant == "as-built" else qpdf_variant(SEEDS[stem], variant)
    if data is None:
        pytest.skip("qpdf is not installed")
    return data


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_is_blocked_before_any_damage(scanner: Scanner, name: str) -> None:
    """The oracle and the scanner agree on the undamaged files (else the fuzzing proves nothing)."""
    data = seed_bytes(name)
    result = scanner.scan_bytes(data, name)
    assert result.status == "blocked"
    assert result.problems == ()
    assert "14 cherry tree road" in " ".join(pdf_oracle_text(data).split()).casefold()


def _run(scanner: Scanner, seed: str, mutations: list[Mutation], target: str) -> None:
    data = seed_bytes(seed)
    for mutate in mutations:
        data = mutate(data)
    check_mutant(scanner, data, "mutant.pdf", pdf_oracle_text, target)


@scaled(150)
@given(seed=st.sampled_from(USABLE), mutations=st.lists(byte_damage(), min_size=1, max_size=3))
def test_pdf_byte_damage(scanner: Scanner, seed: str, mutations: list[Mutation]) -> None:
    _run(scanner, seed, mutations, "pdf bytes")


@scaled(200)
@given(seed=st.sampled_from(USABLE), mutations=st.lists(pdf_structure(), min_size=1, max_size=3))
def test_pdf_structure_damage(scanner: Scanner, seed: str, mutations: list[Mutation]) -> None:
    _run(scanner, seed, mutations, "pdf structure")


@scaled(80)
@given(seed=st.sampled_from(USABLE), first=pdf_structure(), then=byte_damage())
def test_pdf_structure_then_bytes(scanner: Scanner, seed: str, first: Mutation, then: Mutation) -> None:
    _run(scanner, seed, [first, then], "pdf structure+bytes")
