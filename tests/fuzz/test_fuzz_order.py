"""Damaged orders: every mutation of a valid order is either still a valid order or an
OrderError (exit 2) whose message names no protected value. Never another exception."""

from __future__ import annotations

import json

import yaml
from hypothesis import given
from hypothesis import strategies as st

from redactguard.errors import RedactguardError
from redactguard.order import Order, parse_order

from .conftest import ORDER_YAML, TALLY, scaled, visible_secrets

YAML_TEXT = ORDER_YAML.read_text(encoding="utf-8")
JSON_TEXT = json.dumps(yaml.safe_load(YAML_TEXT), indent=2)
#: Every value and `also` spelling, plus the phone as bare digits: none may be in a message.
VALUES = [v for item in yaml.safe_load(YAML_TEXT)["protected"] for v in (item["value"], *item.get("also", []))]


def leaked(message: str) -> list[str]:
    flat = " ".join(message.split()).casefold()
    found = [v for v in VALUES if " ".join(v.split()).casefold() in flat]
    return found + visible_secrets(message)


@st.composite
def line_edit(draw: st.DrawFn) -> tuple[str, float, float, str]:
    how = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert", "truncate", "replace-char", "join", "value-to-key", "value-to-list"]))
    junk = draw(st.sampled_from([":", "- ", "{", "}", "[", "]", '"', "'", "\t", "&a ", "*a", "!!int ", "!!python/object ", "?", "#", "|", ">", "%", "@", "`", "\\", "\x00", "\ufeff", "é"]))
    return how, draw(st.floats(0, 1, exclude_max=True)), draw(st.floats(0, 1, exclude_max=True)), junk


def apply_edit(text: str, edit: tuple[str, float, float, str]) -> str:
    how, a, b, junk = edit
    lines = text.split("\n")
    i, j = int(a * len(lines)), int(b * len(lines))
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "indent":
        lines[i] = "  " + lines[i]
    elif how == "dedent":
        lines[i] = lines[i].lstrip()
    elif how == "join" and i + 1 < len(lines):
        lines[i:i + 2] = [lines[i] + " " + lines[i + 1].lstrip()]
    elif how == "value-to-key" and ": " in lines[i]:  # a forgotten `value:` turns the value into a key
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = indent + lines[i].split(": ", 1)[1].strip() + ": x"
    elif how == "value-to-list" and ": " in lines[i] and ": " in lines[j]:  # a value where a party id goes
        key, _ = lines[j].split(": ", 1)
        lines[j] = f"{key}: [{lines[i].split(': ', 1)[1].strip()}]"
    elif how == "truncate":
        return text[: int(a * len(text))]
    elif how == "insert":
        at = int(b * len(lines[i]))
        lines[i] = lines[i][:at] + junk + lines[i][at:]
    elif how == "replace-char" and lines[i]:
        at = int(b * len(lines[i]))
        lines[i] = lines[i][:at] + junk + lines[i][at + 1:]
    return "\n".join(lines)


def check_order(text: str, source: str, target: str) -> None:
    try:
        order = parse_order(text.encode("utf-8", "surrogatepass"), source=source)
    except RedactguardError as exc:
        assert exc.exit_code == 2
        message = str(exc)
        assert message.startswith(source)
        assert leaked(message) == [], "an order error message quotes a protected value"
        TALLY.add(target, "rejected")
        return
    assert isinstance(order, Order)
    assert leaked(repr(order)) == []
    for item in order.items:
        assert leaked(repr(item)) == []
    TALLY.add(target, "valid")


@scaled(600)
@given(edits=st.lists(line_edit(), min_size=1, max_size=4))
def test_yaml_order_mutations(edits: list[tuple[str, float, float, str]]) -> None:
    text = YAML_TEXT
    for edit in edits:
        text = apply_edit(text, edit)
    check_order(text, "order.yaml", "order yaml")


@scaled(300)
@given(edits=st.lists(line_edit(), min_size=1, max_size=4))
def test_json_order_mutations(edits: list[tuple[str, float, float, str]]) -> None:
    text = JSON_TEXT
    for edit in edits:
        text = apply_edit(text, edit)
    check_order(text, "order.json", "order json")


@scaled(60)
@given(data=st.binary(max_size=512), cut=st.floats(0, 1))
def test_order_bytes(data: bytes, cut: float) -> None:
    """Raw bytes spliced into the order: not UTF-8, NUL bytes, a BOM in the middle."""
    raw = YAML_TEXT.encode("utf-8")
    at = int(cut * len(raw))
    mutated = raw[:at] + data + raw[at:]
    try:
        order = parse_order(mutated, source="order.yaml")
    except RedactguardError as exc:
        assert exc.exit_code == 2
        assert leaked(str(exc)) == []
        TALLY.add("order bytes", "rejected")
        return
    assert isinstance(order, Order)
    TALLY.add("order bytes", "valid")
