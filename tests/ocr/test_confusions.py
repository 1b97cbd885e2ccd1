"""OCR confusions fold together; different words stay apart."""

from __future__ import annotations

import pytest

from redactguard.ocr import confusable, fold, fold_with_map


@pytest.mark.parametrize(("printed", "misread"), [
    ("LS6 3EX", "L56 3EX"),
    ("LS6 3EX", "LS6 3EX".lower()),
    ("07700 900461", "O77OO 9OO46I"),
    ("07700 900461", "077O0 900461"),
    ("14 Cherry Tree Road", "I4 Cherry Tree Road"),
    ("14 Cherry Tree Road", "l4 Cherry Tree Roacl"),
    ("14 Cherry Tree Road", "|4 Cherry Tree Road"),
    ("Horsforth", "Horsforlh".replace("l", "t")),
    ("Headingley", "Heaclingley"),
    ("Mary's", "Mary’s"),
    ("Flat 2", "Flat Z"),
    ("Modern Close", "Modem Close"),
    ("Fernbank", "Femhank".replace("h", "b")),
    ("Willow Walk", "WiIIow VValk"),
    ("B16 8QQ", "816 BQQ"),
    ("Greenway", "6reenway"),
], ids=lambda v: v)
def test_misreadings_fold_to_the_printed_form(printed: str, misread: str) -> None:
    assert confusable(printed, misread)


@pytest.mark.parametrize(("a", "b"), [
    ("14 Cherry Tree Road", "17 Cherry Tree Road"),
    ("LS6 3EX", "LS6 3EY"),
    ("Hill", "Hil"),
    ("07700 900461", "07700 900467"),
    ("Leeds", "Lees"),
], ids=lambda v: v)
def test_different_text_stays_different(a: str, b: str) -> None:
    assert not confusable(a, b)


def test_fold_is_idempotent_and_case_blind() -> None:
    for text in ["Flat 2, 14 Cherry Tree Road", "ST MARY'S", "o77oo 9oo46l"]:
        assert fold(fold(text)) == fold(text)
        assert fold(text.upper()) == fold(text.lower()) == fold(text)


def test_map_points_back_to_the_original_characters() -> None:
    original = "Roacl 14"
    folded, spans = fold_with_map(original)
    assert folded == "road l4"
    assert len(spans) == len(folded)
    start = folded.index("d")
    assert original[spans[start][0]:spans[start][1]] == "cl"
    assert original[spans[-2][0]:spans[-1][1]] == "14"


def test_compatibility_characters_are_normalised() -> None:
    assert fold("ﬂat ２") == fold("flat 2")
