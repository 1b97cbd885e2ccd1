"""No output ever holds a protected value (contract §4): run every command, search everything.

Each run's stdout, stderr and every file it wrote are searched for each protected value and
`also` spelling of the sample order, case-folded and with white space collapsed, for the phone
as bare digits, and for the spellings the sample documents themselves use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

#: How the sample documents write the protected values (detected text must not be echoed either).
DOCUMENT_SPELLINGS = (
    "07700 900 461",
    "J.Ashworth.Home@Example.org",
    "St. Mary's CE Primary School",
    "Cherry Tree",
    "LS6 3EX",
    "LS63EX",
    "ashworth.home",
)

REVIEW_NOTE = "She now lives on Cherry Tree Road somewhere.\n"


_PHONE = '    value: "07700 900461"'

#: Bad orders that still carry every value: (format, text to replace, replacement). JSON edits
#: apply to the sample order dumped as JSON.
BAD_ORDER_EDITS = {
    "key-typo": ("yaml", "withhold_from", "withold_from"),
    "unknown-kind": ("yaml", "kind: school", "kind: skool"),
    "phone-as-number": ("yaml", _PHONE, "    value: +447700900461"),
    "duplicate-value-key": ("yaml", _PHONE, _PHONE + '\n    value: "07700 900461"'),
    "yaml-syntax-on-value-line": (
        "yaml",
        'also: ["14 Cherry Tree Rd"]',
        'also: ["14 Cherry Tree Rd"',
    ),
    "yaml-bad-escape-in-value": ("yaml", '"Flat 2, 14', '"Flat 2, \\z 14'),
    "tab-before-value": ("yaml", _PHONE, '\tvalue: "07700 900461"'),
    "bad-email": ("yaml", "j.ashworth.home@example.org", "j.ashworth.home(at)example.org"),
    "bad-phone": ("yaml", _PHONE, '    value: "07700 900461 or 07700 900461"'),
    "regex-with-name": (
        "yaml",
        "allow:",
        '  - id: name\n    kind: regex\n    value: "Cherry Tree (Road"\nallow:',
    ),
    "item-is-a-bare-value": ("yaml", "allow:", '  - "07700 900461"\nallow:'),
    "value-as-a-key": ("yaml", _PHONE, '    "07700 900461": x'),
    "value-as-a-second-key": ("yaml", _PHONE, _PHONE + "\n    07700 900461: y"),
    "value-as-a-party": ("yaml", "disclose_to: [court]", 'disclose_to: [court, "07700 900461"]'),
    "value-as-the-owner": ("yaml", "    owner: applicant\n    value: \"07700", '    owner: "07700 900461"\n    value: "07700'),
    "address-as-a-party-id": ("yaml", "  court: {}", '  court: {}\n  "14 Cherry Tree Rd": {}'),
    "street-word-as-a-key": ("yaml", _PHONE, _PHONE + "\n    headingley: x"),
    "json-syntax-after-value": ("json", '"07700 900461"', '"07700 900461" "x"'),
    "json-duplicate-key": (
        "json",
        '"value": "07700 900461"',
        '"value": "07700 900461", "value": "07700 900461"',
    ),
}


def _bad_order(sample: str, case: str) -> tuple[str, str]:
    fmt, old, new = BAD_ORDER_EDITS[case]
    text = sample if fmt == "yaml" else json.dumps(yaml.safe_load(sample), indent=2)
    assert old in text, f"the sample order no longer has {case!r}'s anchor text"
    return fmt, text.replace(old, new, 1)


@pytest.fixture
def forms(protected_forms: list[str]) -> list[str]:
    return [*protected_forms, *DOCUMENT_SPELLINGS]


def _runs(bundle: Path, files: Path, order: Path, out: Path) -> dict[str, list[Any]]:
    base = ["scan", bundle, files, "--order", order]
    review = out.parent / "review.txt"
    return {
        "scan-text-respondent": [*base, "--recipient", "respondent"],
        "scan-json-respondent": [*base, "--recipient", "respondent", "--format", "json"],
        "scan-text-no-recipient": base,
        "scan-json-no-recipient": [*base, "--format", "json"],
        "scan-text-court": [*base, "--recipient", "court"],
        "scan-json-no-order": ["scan", bundle, files, "--format", "json"],
        "scan-text-no-order": ["scan", bundle, files],
        "scan-text-to-file": [*base, "--recipient", "respondent", "--output", out / "report.txt"],
        "scan-json-to-file": [*base, "--format", "json", "--output", out / "report.json"],
        "scan-fail-on-review": [*base, "--recipient", "respondent", "--fail-on", "review"],
        "scan-fail-on-never": [*base, "--recipient", "respondent", "--fail-on", "never"],
        "scan-review-finding-json": [
            "scan",
            review,
            "--order",
            order,
            "--recipient",
            "respondent",
            "--format",
            "json",
        ],
        "scan-unknown-recipient": [*base, "--recipient", "father"],
        "scan-missing-order": ["scan", bundle, "--order", out / "missing.yaml"],
        "order-check": ["order", "check", order],
        "order-new": ["order", "new"],
        "scan-help": ["scan", "--help"],
    }


RUN_IDS = list(_runs(Path(), Path(), Path(), Path("x/y")))


@pytest.mark.parametrize("run", RUN_IDS)
def test_command_output_holds_no_protected_value(
    run: str,
    tmp_path: Path,
    bundle_dir: Path,
    files_dir: Path,
    order_path: Path,
    run_cli: Callable[..., Any],
    forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "review.txt").write_text(REVIEW_NOTE, encoding="utf-8")
    args = _runs(bundle_dir, files_dir, order_path, out)[run]

    result = run_cli(*args, generic=True)

    assert result.exit_code in (0, 1, 2, 3)
    assert leaks(result.stdout, forms) == []
    assert leaks(result.stderr, forms) == []
    written_files = sorted(out.iterdir())
    if "--output" in args:
        assert [p.name for p in written_files] == [Path(args[-1]).name]
        assert "█" in written_files[0].read_text(encoding="utf-8")  # findings were reported, masked
    for written in written_files:
        assert leaks(written.read_text(encoding="utf-8"), forms) == [], written.name


@pytest.mark.parametrize("command", ["order-check", "scan"])
@pytest.mark.parametrize("case", list(BAD_ORDER_EDITS))
def test_bad_order_error_holds_no_protected_value(
    case: str,
    command: str,
    tmp_path: Path,
    order_path: Path,
    files_dir: Path,
    run_cli: Callable[..., Any],
    forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    suffix, text = _bad_order(order_path.read_text(encoding="utf-8"), case)
    path = tmp_path / f"bad-order.{suffix}"
    path.write_text(text, encoding="utf-8")
    args = (
        ["order", "check", path]
        if command == "order-check"
        else ["scan", files_dir / "plain.txt", "--order", path]
    )

    result = run_cli(*args, generic=True)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"redactguard: error: {path}")
    assert leaks(result.stderr, forms) == []


def test_leak_check_finds_a_leak(forms: list[str], leaks: Callable[..., list[str]]) -> None:
    """The search itself works: case, spacing and bare digits are all caught."""
    assert leaks("call 07700900461 now", forms) == ["07700900461"]
    assert "flat 2, 14 cherry tree road, headingley, leeds ls6 3ex" in leaks(
        "FLAT 2,  14 CHERRY TREE ROAD,\nHeadingley, Leeds LS6 3EX", forms
    )
    assert leaks("██ ██████ ████ ████", forms) == []
