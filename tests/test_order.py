"""The confidentiality order (contract §1): loading, validation errors, and who may see what.

Every bad order is built in tmp_path from the sample order and checked through the CLI, both
with `order check FILE` and `scan --order FILE`: exit code 2, a message naming the file, the
line (where the file gives one) and the field, and never a protected value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from redactguard import OrderError, UsageError, load_order, parse_order
from redactguard.order import TEMPLATE

# --------------------------------------------------------------------------- a valid order


def test_sample_order_loads_with_every_field(order_path: Path) -> None:
    order = load_order(order_path)

    assert order.case == "ZW24C00123"
    assert order.title == "Re A (A Child)"
    assert sorted(order.parties) == ["applicant", "court", "guardian", "respondent"]
    assert order.parties["guardian"].role == "children's guardian"
    assert order.disclose_to == ("court",)
    assert order.allow == ("Leeds Combined Court Centre, 1 Oxford Row, Leeds LS1 3BG",)
    assert [(i.id, i.kind) for i in order.items] == [
        ("applicant-address", "address"),
        ("applicant-phone", "phone"),
        ("applicant-email", "email"),
        ("child-school", "school"),
    ]
    address = order.items[0]
    assert address.value == "Flat 2, 14 Cherry Tree Road, Headingley, Leeds LS6 3EX"
    assert address.also == ("14 Cherry Tree Rd",)
    assert address.spellings == (address.value, "14 Cherry Tree Rd")
    assert address.owner == "applicant"
    assert address.withhold_from == ("respondent",)
    assert address.reason == "FPR 29.1 / form C8"
    assert order.items[3].owner is None


def test_order_hash_is_the_sha256_of_the_file_bytes(order_path: Path) -> None:
    import hashlib

    assert load_order(order_path).sha256 == hashlib.sha256(order_path.read_bytes()).hexdigest()


def test_json_order_loads_the_same_as_the_yaml_one(
    tmp_path: Path, base_order: dict, order_path: Path
) -> None:
    as_json = tmp_path / "order.json"
    as_json.write_text(json.dumps(base_order, indent=2), encoding="utf-8")

    from_yaml, from_json = load_order(order_path), load_order(as_json)

    assert replace(from_json, sha256="", source="") == replace(from_yaml, sha256="", source="")
    assert from_json.sha256 != from_yaml.sha256  # hash of the file, not of the content


def test_order_with_utf8_bom_loads(tmp_path: Path, order_path: Path) -> None:
    bom = tmp_path / "order.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + order_path.read_bytes())

    assert load_order(bom).case == "ZW24C00123"


def test_disclose_to_defaults_to_court(base_order: dict) -> None:
    del base_order["disclose_to"]

    assert parse_order(yaml.safe_dump(base_order)).disclose_to == ("court",)


def test_template_is_a_valid_order() -> None:
    order = parse_order(TEMPLATE, source="template.yaml")

    assert order.case == "ZW24C00000"
    assert [i.id for i in order.items] == ["applicant-address"]


@pytest.mark.parametrize(
    "recipient, withheld_ids",
    [
        pytest.param(
            "respondent", {"applicant-address", "default-item"}, id="respondent-sees-neither"
        ),
        pytest.param("court", set(), id="court-in-disclose_to-sees-everything"),
        pytest.param("guardian", {"default-item"}, id="guardian-not-named-in-withhold_from"),
        pytest.param(
            None, {"applicant-address", "default-item"}, id="no-recipient-every-withheld-item"
        ),
    ],
)
def test_is_withheld(base_order: dict, recipient: str | None, withheld_ids: set[str]) -> None:
    base_order["protected"].append({"id": "default-item", "kind": "text", "value": "Oak House"})
    order = parse_order(yaml.safe_dump(base_order))
    items = {i.id: i for i in order.items}

    got = {
        i for i in ("applicant-address", "default-item") if order.is_withheld(items[i], recipient)
    }

    assert got == withheld_ids


def test_empty_withhold_from_withholds_from_nobody(base_order: dict) -> None:
    base_order["protected"][0]["withhold_from"] = []
    order = parse_order(yaml.safe_dump(base_order))

    assert not order.is_withheld(order.items[0], None)
    assert not order.is_withheld(order.items[0], "respondent")


def test_unknown_recipient_is_a_usage_error_naming_the_parties(order_path: Path) -> None:
    order = load_order(order_path)

    with pytest.raises(UsageError) as err:
        order.check_recipient("father")

    assert "'father'" in str(err.value)
    assert "applicant, court, guardian, respondent" in str(err.value)


def test_reprs_never_show_a_value(order_path: Path, protected_values: list[str]) -> None:
    order = load_order(order_path)
    shown = repr(order) + "".join(repr(i) + str(i) for i in order.items)

    assert "ProtectedItem(id='applicant-address', kind='address', value=<withheld>)" in shown
    assert [v for v in protected_values if v.lower() in shown.lower()] == []


def test_order_error_carries_file_line_and_field(tmp_path: Path, base_order: dict) -> None:
    base_order["protected"][0]["kind"] = "adress"
    path = tmp_path / "order.yaml"
    path.write_text(
        yaml.safe_dump(base_order, sort_keys=False, default_flow_style=None), encoding="utf-8"
    )

    with pytest.raises(OrderError) as err:
        load_order(path)

    assert (err.value.file, err.value.field) == (str(path), "protected[0].kind")
    assert err.value.line == _line_of(path.read_text(), "kind: adress")
    assert err.value.reason.startswith("unknown kind 'adress'")


# --------------------------------------------------------------------------- bad orders
#
# A case changes the sample order (a dict), is written as YAML and as JSON, and must fail with
# `field`. `marker` is text on the line the message must name (its `nth` occurrence); None where
# the file has no line for the fault (a missing field). `secrets` are values put into the bad
# order that must not be echoed, on top of the sample order's own values.


_DELETE = object()


@dataclass(frozen=True)
class Bad:
    change: Callable[[dict], Any]
    field: str
    says: str
    marker: str | None = None
    nth: int = 1
    secrets: tuple[str, ...] = ()


def _item(i: int, **changes: Any) -> Callable[[dict], None]:
    def change(order: dict) -> None:
        for key, value in changes.items():
            if value is _DELETE:
                del order["protected"][i][key]
            else:
                order["protected"][i][key] = value

    return change


def _rename_item_key(i: int, old: str, new: str) -> Callable[[dict], None]:
    def change(order: dict) -> None:
        item = order["protected"][i]
        order["protected"][i] = {(new if k == old else k): v for k, v in item.items()}

    return change


def _top(**changes: Any) -> Callable[[dict], None]:
    def change(order: dict) -> None:
        for key, value in changes.items():
            if value is _DELETE:
                del order[key]
            else:
                order[key] = value

    return change


def _add_item(item: dict) -> Callable[[dict], None]:
    return lambda order: order["protected"].append(item)


BAD_ORDERS = {
    "missing-redactguard-version": Bad(
        _top(redactguard=_DELETE), "redactguard", "missing required field"
    ),
    "wrong-version-2": Bad(
        _top(redactguard=2), "redactguard", "unsupported format version", "redactguard"
    ),
    "version-as-string": Bad(
        _top(redactguard="1"), "redactguard", "unsupported format version", "redactguard"
    ),
    "missing-case": Bad(_top(case=_DELETE), "case", "missing required field"),
    "empty-case": Bad(_top(case=""), "case", "must be a non-empty string", "case"),
    "unknown-top-level-key": Bad(
        _top(disclosed_to=["court"]), "disclosed_to", "unknown key 'disclosed_to'", "disclosed_to"
    ),
    "parties-not-a-mapping": Bad(
        _top(parties=["applicant"]), "parties", "must be a mapping", "parties"
    ),
    "party-id-with-capitals": Bad(
        lambda o: o["parties"].update({"Guardian": {}}), "parties.Guardian", "party id", "Guardian"
    ),
    "unknown-party-key": Bad(
        lambda o: o["parties"]["applicant"].update({"rol": "mum"}),
        "parties.applicant.rol",
        "unknown key 'rol'",
        "mum",
    ),
    "item-key-typo-withold_from": Bad(
        _rename_item_key(0, "withhold_from", "withold_from"),
        "protected[0].withold_from",
        "unknown key 'withold_from'; did you mean 'withhold_from'?",
        "withold_from",
    ),
    "item-key-typo-vaule": Bad(
        _rename_item_key(1, "value", "vaule"), "protected[1].vaule", "unknown key 'vaule'", "vaule"
    ),
    "unknown-kind": Bad(
        _item(0, kind="adress"), "protected[0].kind", "unknown kind 'adress'", "adress"
    ),
    "unknown-party-in-withhold_from": Bad(
        _item(0, withhold_from=["respondant"]),
        "protected[0].withhold_from[0]",
        "unknown party 'respondant'",
        "respondant",
    ),
    "unknown-party-in-disclose_to": Bad(
        _top(disclose_to=["court", "judge"]), "disclose_to[1]", "unknown party 'judge'", "judge"
    ),
    "unknown-owner": Bad(_item(1, owner="mum"), "protected[1].owner", "unknown party 'mum'", "mum"),
    "duplicate-id": Bad(
        _item(1, id="applicant-address"),
        "protected[1].id",
        "duplicate id 'applicant-address'",
        "applicant-address",
        nth=2,
    ),
    "id-with-capitals": Bad(
        _item(0, id="Applicant-Address"), "protected[0].id", "id must use", "Applicant-Address"
    ),
    "id-with-underscore": Bad(
        _item(0, id="applicant_address"), "protected[0].id", "id must use", "applicant_address"
    ),
    "id-with-space": Bad(
        _item(0, id="applicant address"), "protected[0].id", "id must use", "applicant address"
    ),
    "missing-item-id": Bad(_item(0, id=_DELETE), "protected[0].id", "missing required field"),
    "missing-item-kind": Bad(_item(0, kind=_DELETE), "protected[0].kind", "missing required field"),
    "missing-item-value": Bad(
        _item(2, value=_DELETE), "protected[2].value", "missing required field"
    ),
    "empty-value": Bad(
        _item(0, value="  "), "protected[0].value", "must be a non-empty string", "value"
    ),
    "item-not-a-mapping": Bad(
        lambda o: o["protected"].append("07700 900462"),
        "protected[4]",
        "must be a mapping",
        "07700 900462",
        secrets=("07700 900462",),
    ),
    "protected-not-a-list": Bad(
        _top(protected={"id": "x"}), "protected", "must be a list", "protected"
    ),
    "invalid-regex": Bad(
        _add_item({"id": "child-name", "kind": "regex", "value": "Lily (Ashworth"}),
        "protected[4].value",
        "invalid regular expression",
        "Lily (Ashworth",
        secrets=("Lily (Ashworth",),
    ),
    "regex-matching-empty-text": Bad(
        _add_item({"id": "child-name", "kind": "regex", "value": "(Lily Ashworth)?"}),
        "protected[4].value",
        "matches empty text",
        "(Lily Ashworth)?",
        secrets=("Lily Ashworth",),
    ),
    "bad-phone-two-numbers-in-one-value": Bad(
        _item(1, value="07700 900461 or 07700 900462"),
        "protected[1].value",
        "not a phone number",
        "07700 900461 or",
        secrets=("07700 900462",),
    ),
    "bad-phone-in-also": Bad(
        _item(1, also=["mobile unknown"]),
        "protected[1].also[0]",
        "not a phone number",
        "mobile unknown",
        secrets=("mobile unknown",),
    ),
    "bad-email": Bad(
        _item(2, value="j.ashworth.home at example.org"),
        "protected[2].value",
        "not an e-mail address",
        "j.ashworth.home at",
        secrets=("j.ashworth.home at example.org",),
    ),
    "bad-postcode": Bad(
        _add_item({"id": "applicant-postcode", "kind": "postcode", "value": "LS6 EX3"}),
        "protected[4].value",
        "not a UK postcode",
        "LS6 EX3",
        secrets=("LS6 EX3",),
    ),
    "value-without-letters-or-digits": Bad(
        _add_item({"id": "mark", "kind": "text", "value": "--"}),
        "protected[4].value",
        "no letters or digits",
        "--",
    ),
    "allow-entry-empty": Bad(_top(allow=[""]), "allow[0]", "must be a non-empty string"),
    "generic-bad-severity": Bad(
        _top(generic={"phone": "maybe"}),
        "generic.phone",
        "must be one of block, review, off",
        "maybe",
    ),
}


def _line_of(text: str, marker: str, nth: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(lines) >= nth, f"marker not in the test's own order file: {marker!r}"
    return lines[nth - 1]


def _write(tmp_path: Path, order: dict, fmt: str) -> Path:
    path = tmp_path / f"bad-order.{fmt}"
    if fmt == "yaml":
        # leaf lists and mappings in flow style, like fixtures/sample-case/order.yaml
        text = yaml.safe_dump(
            order, sort_keys=False, default_flow_style=None, allow_unicode=True, width=200
        )
    else:
        text = json.dumps(order, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


COMMANDS = {
    "order-check": lambda order, files: ["order", "check", order],
    "scan-order": lambda order, files: ["scan", files / "plain.txt", "--order", order],
}


def _assert_rejected(
    result: Any,
    path: Path,
    *,
    line: int | None,
    field: str | None,
    says: str,
    secrets: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("redactguard: error: ")
    assert message.count("\n") == 1  # one line, no traceback
    if line is not None:
        assert f"{path}:{line}: " in message
    else:
        assert re.search(rf"{re.escape(str(path))}(:\d+)?: ", message)
    if field is not None:
        assert f"(field {field})" in message
    assert says in message
    assert leaks(message, secrets) == []


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("case", BAD_ORDERS.values(), ids=list(BAD_ORDERS))
def test_bad_order_is_rejected(
    case: Bad,
    fmt: str,
    command: str,
    tmp_path: Path,
    base_order: dict,
    files_dir: Path,
    run_cli: Callable[..., Any],
    protected_forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    case.change(base_order)
    path = _write(tmp_path, base_order, fmt)
    text = path.read_text(encoding="utf-8")
    line = _line_of(text, case.marker, case.nth) if case.marker else None

    result = run_cli(*COMMANDS[command](path, files_dir))

    secrets = protected_forms + list(case.secrets)
    _assert_rejected(
        result, path, line=line, field=case.field, says=case.says, secrets=secrets, leaks=leaks
    )


# Faults that only exist as text: YAML typing, syntax, duplicate keys, encodings.
# `edit` turns the sample order's text into the bad one.


@dataclass(frozen=True)
class BadText:
    edit: Callable[[str], str | bytes]
    says: str
    field: str | None = None
    marker: str | None = None
    nth: int = 1
    secrets: tuple[str, ...] = ()
    suffix: str = "yaml"


def _sub(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"sample order changed: {old!r} not found"
        return text.replace(old, new, 1)

    return edit


BAD_TEXTS = {
    "phone-value-read-as-a-number": BadText(
        _sub('value: "07700 900461"', "value: +447700900461"),
        "must be a string (put it in quotes)",
        "protected[1].value",
        "+447700900461",
        secrets=("447700900461",),
    ),
    "phone-also-read-as-a-number": BadText(
        _sub('value: "07700 900461"', 'value: "07700 900461"\n    also: [7700900461]'),
        "must be a string (put it in quotes)",
        "protected[1].also[0]",
        "also: [7700900461]",
        secrets=("7700900461",),
    ),
    "date-of-birth-read-as-a-date": BadText(
        _sub("allow:", "  - id: child-dob\n    kind: text\n    value: 2017-03-14\nallow:"),
        "must be a string (put it in quotes)",
        "protected[4].value",
        "2017-03-14",
        secrets=("2017-03-14",),
    ),
    "duplicate-top-level-key": BadText(
        _sub("title: Re A (A Child)", "title: Re A (A Child)\ncase: ZW24C00999"),
        "duplicate key",
        "case",
        "case: ZW24C00999",
    ),
    "duplicate-value-key-in-item": BadText(
        _sub('value: "07700 900461"', 'value: "07700 900461"\n    value: "07700 900462"'),
        "duplicate key",
        "protected[1].value",
        '"07700 900462"',
        secrets=("07700 900462",),
    ),
    "duplicate-party": BadText(
        _sub("  court: {}", "  court: {}\n  applicant: {role: mother}"),
        "duplicate key",
        "parties.applicant",
        "applicant",
        nth=2,
    ),
    "unparseable-yaml-unclosed-list": BadText(
        _sub('also: ["14 Cherry Tree Rd"]', 'also: ["14 Cherry Tree Rd"'),
        "not valid YAML",
    ),
    "unparseable-yaml-bad-escape": BadText(
        _sub('value: "Flat 2, 14', 'value: "Flat 2, 14 \\q'),
        "not valid YAML",
    ),
    "unparseable-yaml-tab-indent": BadText(
        _sub("    kind: phone", "\tkind: phone"), "not valid YAML"
    ),
    "top-level-is-a-list": BadText(
        lambda text: "- redactguard: 1\n", "must be a mapping", "(top level)"
    ),
    "empty-file": BadText(lambda text: "", "the order file is empty"),
    "only-comments": BadText(lambda text: "# nothing yet\n\n", "the order file is empty"),
    "not-utf8": BadText(
        lambda text: text.replace("children's", "children\u2019s").encode("cp1252"), "not UTF-8"
    ),
    "invalid-json-stray-comma": BadText(
        lambda text: json.dumps(yaml.safe_load(text), indent=2).replace(
            '"07700 900461"', '"07700 900461",', 1
        ),
        "not valid JSON",
        suffix="json",
    ),
    "invalid-json-single-quotes": BadText(
        lambda text: json.dumps(yaml.safe_load(text), indent=2).replace(
            '"FPR 29.1 / form C8"', "'FPR 29.1 / form C8'"
        ),
        "not valid JSON",
        suffix="json",
    ),
    "duplicate-key-in-json": BadText(
        lambda text: json.dumps(yaml.safe_load(text), indent=2).replace(
            '"kind": "phone",', '"kind": "phone",\n      "kind": "text",', 1
        ),
        "duplicate key",
        "protected[1].kind",
        '"kind": "text"',
        suffix="json",
    ),
}


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
@pytest.mark.parametrize("case", BAD_TEXTS.values(), ids=list(BAD_TEXTS))
def test_bad_order_text_is_rejected(
    case: BadText,
    command: str,
    tmp_path: Path,
    order_path: Path,
    files_dir: Path,
    run_cli: Callable[..., Any],
    protected_forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    edited = case.edit(order_path.read_text(encoding="utf-8"))
    path = tmp_path / f"bad-order.{case.suffix}"
    if isinstance(edited, bytes):
        path.write_bytes(edited)
    else:
        path.write_text(edited, encoding="utf-8")
    line = None
    if case.marker:
        line = _line_of(path.read_text(encoding="utf-8"), case.marker, case.nth)
    elif case.suffix == "json" and "JSON" in case.says:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            line = exc.lineno  # the line the JSON parser itself points at

    result = run_cli(*COMMANDS[command](path, files_dir))

    secrets = protected_forms + list(case.secrets)
    _assert_rejected(
        result, path, line=line, field=case.field, says=case.says, secrets=secrets, leaks=leaks
    )
    if "YAML" in case.says:
        assert re.search(rf"{re.escape(str(path))}:\d+: not valid YAML", result.stderr)


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_missing_order_file(
    command: str, tmp_path: Path, files_dir: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "no-such-order.yaml"

    result = run_cli(*COMMANDS[command](path, files_dir))

    assert result.exit_code == 2
    assert result.stderr == f"redactguard: error: {path}: order file not found\n"


def test_order_path_is_a_folder(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("order", "check", tmp_path)

    assert result.exit_code == 2
    assert result.stderr.startswith(f"redactguard: error: {tmp_path}: cannot read order file")


# --------------------------------------------------------------------------- known bugs


@pytest.mark.parametrize("version", ["true", "1.0"])
def test_version_must_be_the_integer_1(version: str) -> None:
    with pytest.raises(OrderError) as err:
        parse_order(f"redactguard: {version}\ncase: ZW24C00123\n", source="order.yaml")
    assert err.value.field == "redactguard"


@pytest.mark.parametrize(
    "tagged",
    ["!!int '07700 900461'", "!!float '07700 900461'", "!!timestamp '07700 900461'"],
    ids=["int-tag", "float-tag", "timestamp-tag"],
)
def test_tagged_value_is_an_order_error(
    tagged: str,
    tmp_path: Path,
    order_path: Path,
    run_cli: Callable[..., Any],
    protected_forms: list[str],
    leaks: Callable[..., list[str]],
) -> None:
    path = tmp_path / "order.yaml"
    path.write_text(
        order_path.read_text().replace('value: "07700 900461"', f"value: {tagged}"),
        encoding="utf-8",
    )

    result = run_cli("order", "check", path)

    assert result.exit_code == 2
    assert "(field protected[1].value)" in result.stderr
    assert leaks(result.stderr, protected_forms) == []


def test_tagged_value_error_from_the_library_does_not_quote_the_value(order_path: Path) -> None:
    text = order_path.read_text().replace('value: "07700 900461"', "value: !!int '07700 900461'")

    try:
        parse_order(text, source="order.yaml")
    except Exception as exc:  # noqa: BLE001 - the point is what any exception says
        assert "900461" not in str(exc)
        assert isinstance(exc, OrderError)
    else:
        pytest.fail("a tagged non-number was accepted")


def test_json_order_indented_with_tabs_loads(tmp_path: Path, base_order: dict) -> None:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(base_order, indent="\t"), encoding="utf-8")

    assert load_order(path).case == "ZW24C00123"


def test_unknown_key_with_a_block_value_names_the_key_line(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    path = tmp_path / "order.yaml"
    path.write_text(
        "redactguard: 1\ncase: ZW24C00123\nparties:\n  respondent: {}\nprotected:\n"
        "  - id: a\n    kind: text\n    value: Oak House\n    withold_from:\n      - respondent\n",
        encoding="utf-8",
    )

    result = run_cli("order", "check", path)

    assert result.exit_code == 2
    assert f"{path}:9: unknown key 'withold_from'" in result.stderr


def test_invalid_regex_message_quotes_no_part_of_the_pattern(
    tmp_path: Path, base_order: dict, run_cli: Callable[..., Any]
) -> None:
    base_order["protected"].append(
        {"id": "child-surname", "kind": "regex", "value": "Lily (?P=ashworth)"}
    )
    path = _write(tmp_path, base_order, "yaml")

    result = run_cli("order", "check", path)

    assert result.exit_code == 2
    assert "ashworth" not in result.stderr.lower()


@pytest.mark.parametrize(
    "value", ["0770", "07700 9OO461"], ids=["four-digits", "letter-O-for-zero"]
)
def test_mistyped_phone_value_is_rejected(value: str, base_order: dict) -> None:
    base_order["protected"][1]["value"] = value

    with pytest.raises(OrderError) as err:
        parse_order(yaml.safe_dump(base_order), source="order.yaml")
    assert err.value.field == "protected[1].value"


@pytest.mark.parametrize(
    "old, new, field",
    [
        pytest.param(
            '  - "Leeds Combined Court Centre, 1 Oxford Row, Leeds LS1 3BG"',
            "  - Leeds Combined Court Centre: 1 Oxford Row",
            "allow[0]",
            id="allow-entry-with-unquoted-colon-is-a-mapping",
        ),
        pytest.param("case: ZW24C00123", "case: [ZW24C00123]", "case", id="case-is-a-list"),
    ],
)
def test_non_string_text_field_is_rejected(
    old: str, new: str, field: str, order_path: Path
) -> None:
    text = order_path.read_text(encoding="utf-8")
    assert old in text

    with pytest.raises(OrderError) as err:
        parse_order(text.replace(old, new), source="order.yaml")
    assert err.value.field == field
