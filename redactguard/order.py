"""The confidentiality order (contract §1): parse, validate, and answer "is this withheld from X?".

Validation is strict: an unknown key is an error, because a typo such as `withold_from` must
never silently disable a protection. Error messages name the file, line and field, and never
quote a protected value (YAML's own error snippets are deliberately not used).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import OrderError
from .vocabulary import GenericKind, ItemKind, Severity

__all__ = ["Order", "Party", "ProtectedItem", "KINDS", "load_order", "parse_order", "TEMPLATE"]

KINDS = tuple(ItemKind)
SEVERITIES = tuple(Severity)
GENERIC_KINDS = tuple(GenericKind)

_ID_RE = re.compile(r"^[a-z0-9-]+$")
_TOP_KEYS = {"redactguard", "case", "title", "parties", "disclose_to", "protected", "allow", "generic"}
_ITEM_KEYS = {"id", "kind", "owner", "value", "also", "withhold_from", "reason"}
_PARTY_KEYS = {"role", "name", "aliases"}


@dataclass(frozen=True)
class Party:
    """A possible recipient named in the order."""

    id: str
    role: str | None = None
    names: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Party({self.id!r}, role={self.role!r})"


@dataclass(frozen=True)
class ProtectedItem:
    """One withheld fact. Its repr masks the value so it can never leak into logs."""

    id: str
    kind: str
    value: str
    also: tuple[str, ...] = ()
    owner: str | None = None
    withhold_from: tuple[str, ...] | None = None
    reason: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.value, *self.also)

    def __repr__(self) -> str:
        return f"ProtectedItem(id={self.id!r}, kind={self.kind!r}, value=<withheld>)"

    __str__ = __repr__


@dataclass(frozen=True)
class Order:
    """A validated confidentiality order."""

    case: str
    items: tuple[ProtectedItem, ...]
    parties: dict[str, Party] = field(default_factory=dict)
    disclose_to: tuple[str, ...] = ("court",)
    allow: tuple[str, ...] = ()
    title: str | None = None
    generic: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    source: str = "<order>"

    def __repr__(self) -> str:
        return f"Order(case={self.case!r}, items={len(self.items)}, parties={sorted(self.parties)})"

    def check_recipient(self, recipient: str | None) -> None:
        """Raise OrderError-free UsageError if `recipient` is not a party of this order."""
        from .errors import UsageError

        if recipient is None:
            return
        known = set(self.parties) | set(self.disclose_to)
        if recipient not in known:
            choices = ", ".join(sorted(known)) or "none declared"
            raise UsageError(f"unknown recipient {recipient!r}: the order's parties are {choices}")

    def is_withheld(self, item: ProtectedItem, recipient: str | None) -> bool:
        """True if `recipient` may not see `item`. Without a recipient, every withheld item counts."""
        if item.withhold_from is not None:
            return bool(item.withhold_from) if recipient is None else recipient in item.withhold_from
        return recipient is None or recipient not in self.disclose_to

    def party_names(self) -> tuple[str, ...]:
        """Names of the case's own parties (known to every recipient)."""
        return tuple(n for p in self.parties.values() for n in p.names)


TEMPLATE = """\
# redactguard confidentiality order (contract v1). Check it with: redactguard order check FILE
redactguard: 1                      # format version (required)
case: ZW24C00000                    # case number (required)
title: Re X (A Child)               # optional
parties:                            # possible recipients; ids are free-form
  applicant: {role: mother}
  respondent: {role: father}
  court: {}
disclose_to: [court]                # may see everything unless an item says otherwise
protected:                          # the withheld facts
  - id: applicant-address           # unique, lower case letters, digits and dashes
    kind: address                   # address postcode phone email name school place vehicle text regex
    owner: applicant                # optional party id
    value: "Flat 1, 1 Example Road, Exampletown EX1 1AA"
    also: []                        # optional extra spellings
    withhold_from: [respondent]     # optional; default: every party not in disclose_to
    reason: "FPR 29.1 / form C8"    # optional; shown in reports and on redaction labels
allow: []                           # text that is never flagged (court and solicitors' addresses)
# generic:                          # optional policy for personal data the order does not list
#   phone: review                   # block | review | off, per kind (default review)
"""


# --------------------------------------------------------------------------- loading


def load_order(path: str | os.PathLike[str]) -> Order:
    """Read and validate an order file (.yaml, .yml or .json)."""
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise OrderError(name, "order file not found") from None
    except OSError as exc:
        raise OrderError(name, f"cannot read order file ({exc.strerror})") from None
    return parse_order(raw, source=name)


def parse_order(data: bytes | str, *, source: str = "<order>") -> Order:
    """Validate an order given as YAML or JSON text."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OrderError(source, "the order file is not UTF-8 text") from None
    tree, lines = _parse_tree(text, source)
    order = _Validator(source, lines, _spellings_in(tree)).order(tree)
    return _with_hash(order, hashlib.sha256(raw).hexdigest())


def _with_hash(order: Order, sha: str) -> Order:
    from dataclasses import replace

    return replace(order, sha256=sha)


def _parse_tree(text: str, source: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML (JSON is YAML) keeping the line of every node; reject duplicate keys."""
    import yaml

    if source.lower().endswith(".json"):
        try:
            tree = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OrderError(source, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        try:  # line numbers for messages, where YAML can read the JSON (it cannot with tabs)
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return tree, {}
        lines: dict[tuple[Any, ...], int] = {}
        return _construct(node, (), lines, source), lines
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise OrderError(source, f"not valid YAML: {problem}", line=line) from None
    except yaml.YAMLError:
        raise OrderError(source, "not valid YAML") from None
    if node is None:
        raise OrderError(source, "the order file is empty")
    yaml_lines: dict[tuple[Any, ...], int] = {}
    return _construct(node, (), yaml_lines, source), yaml_lines


def _construct(node: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int], source: str) -> Any:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise OrderError(source, "keys must be plain names", line=key_node.start_mark.line + 1)
            key = key_node.value
            if key in out:
                raise OrderError(
                    source, "duplicate key", line=key_node.start_mark.line + 1, field=_dotted(path + (key,))
                )
            lines[path + (key,)] = key_node.start_mark.line + 1  # errors point at the key's line
            out[key] = _construct(value_node, path + (key,), lines, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, path + (i,), lines, source) for i, child in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node)
    except Exception:  # a bad tag (`!!int 'abc'`): the library's message would quote the value
        raise OrderError(source, "value cannot be read (check its type tag)", line=lines[path], field=_dotted(path)) from None


def _dotted(path: tuple[Any, ...], hidden: frozenset[str] = frozenset()) -> str:
    out = ""
    for part in path:
        if not isinstance(part, int):
            part = part if _showable(part, hidden) else "?"
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


#: What a field name, party id or kind looks like. A key the user typed is quoted in a message
#: only if it looks like one: `"07700 900461": x` (a forgotten `value:`) must not be echoed.
_NAME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def _showable(name: Any, hidden: frozenset[str] = frozenset()) -> bool:
    text = str(name)
    if not _NAME_LIKE.fullmatch(text):
        return False
    flat = _flat(text)
    return not any(flat in h or h in flat for h in hidden)


def _shown(name: Any, hidden: frozenset[str] = frozenset()) -> str:
    """`name` quoted for a message, or a placeholder if it could be a protected value."""
    return repr(str(name)) if _showable(name, hidden) else "(not shown: it may be a protected value)"


def _flat(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _spellings_in(tree: Any) -> frozenset[str]:
    """Every string under protected[*].value/also, before validation: never to be echoed."""
    out: set[str] = set()
    items = tree.get("protected") if isinstance(tree, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):  # a bare value where an item should be
            out.add(_flat(item))
        if not isinstance(item, dict):
            continue
        for key in ("value", "also"):
            values = item.get(key)
            for v in values if isinstance(values, list) else [values]:
                if isinstance(v, (str, int, float)) and _flat(str(v)):
                    out.add(_flat(str(v)))
    return frozenset(out)


class _Validator:
    """Turns the parsed tree into an Order, raising OrderError with file/line/field."""

    def __init__(self, source: str, lines: dict[tuple[Any, ...], int], hidden: frozenset[str] = frozenset()):
        self.source = source
        self.lines = lines
        self.hidden = hidden  # the order's own spellings, never quoted in a message

    def fail(self, path: tuple[Any, ...], message: str) -> OrderError:
        line = None
        for cut in range(len(path), -1, -1):  # nearest enclosing node with a known line
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        return OrderError(self.source, message, line=line, field=_dotted(path, self.hidden))

    def mapping(self, value: Any, path: tuple[Any, ...], allowed: set[str]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, "must be a mapping")
        for key in value:
            if key not in allowed:
                hint = _closest(key, allowed)
                extra = f"; did you mean {hint!r}?" if hint else ""
                raise self.fail(path + (key,), f"unknown key {_shown(key, self.hidden)}{extra}")
        return value

    def string(self, value: Any, path: tuple[Any, ...], *, secret: bool = False) -> str:
        """A non-empty string. Anything else is an error: YAML turns `0123` into 83 and
        `a: b` into a mapping, and a silently converted value protects nothing."""
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self.fail(path, "must be a non-empty string")
        if isinstance(value, (dict, list)):
            raise self.fail(path, "must be a string, not a list or mapping (quote it if it has a colon)")
        raise self.fail(path, "must be a string (put it in quotes)")

    def str_list(self, value: Any, path: tuple[Any, ...], *, secret: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        return tuple(self.string(v, path + (i,), secret=secret) for i, v in enumerate(value))

    def order(self, tree: Any) -> Order:
        top = self.mapping(tree, (), _TOP_KEYS)
        if "redactguard" not in top:
            raise self.fail(("redactguard",), "missing required field (format version, use 1)")
        version = top["redactguard"]
        if type(version) is not int or version != 1:
            raise self.fail(("redactguard",), "unsupported format version (this tool reads version 1)")
        if "case" not in top:
            raise self.fail(("case",), "missing required field (the case number)")
        case = self.string(top["case"], ("case",))
        title = self.string(top["title"], ("title",)) if top.get("title") is not None else None
        parties = self.parties(top.get("parties"))
        disclose_to: tuple[str, ...] = ("court",)
        if "disclose_to" in top:
            disclose_to = self.party_list(top["disclose_to"], ("disclose_to",), parties)
        items = self.items(top.get("protected"), parties)
        allow = self.str_list(top.get("allow"), ("allow",))
        generic = self.generic(top.get("generic"))
        return Order(
            case=case, title=title, parties=parties, disclose_to=disclose_to, items=items,
            allow=allow, generic=generic, source=self.source,
        )

    def parties(self, value: Any) -> dict[str, Party]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(("parties",), "must be a mapping of party ids")
        out: dict[str, Party] = {}
        for pid, spec in value.items():
            path = ("parties", pid)
            if not _ID_RE.match(str(pid)):
                raise self.fail(path, "party id must use lower case letters, digits and dashes")
            body = self.mapping(spec, path, _PARTY_KEYS)
            role = self.string(body["role"], path + ("role",)) if body.get("role") is not None else None
            names = self.str_list(body.get("name"), path + ("name",))
            names += self.str_list(body.get("aliases"), path + ("aliases",))
            out[pid] = Party(id=pid, role=role, names=names)
        return out

    def party_list(self, value: Any, path: tuple[Any, ...], parties: dict[str, Party]) -> tuple[str, ...]:
        ids = self.str_list(value, path)
        for i, pid in enumerate(ids):
            if pid not in parties:
                raise self.fail(path + (i,), f"unknown party {_shown(pid, self.hidden)} (declare it under parties)")
        return ids

    def items(self, value: Any, parties: dict[str, Party]) -> tuple[ProtectedItem, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(("protected",), "must be a list of items")
        seen: set[str] = set()
        out = []
        for i, raw in enumerate(value):
            item = self.item(raw, ("protected", i), parties)
            if item.id in seen:
                raise self.fail(("protected", i, "id"), f"duplicate id {item.id!r}")
            seen.add(item.id)
            out.append(item)
        return tuple(out)

    def item(self, raw: Any, path: tuple[Any, ...], parties: dict[str, Party]) -> ProtectedItem:
        if not isinstance(raw, dict):
            raise self.fail(path, "each protected item must be a mapping")
        body = self.mapping(raw, path, _ITEM_KEYS)
        for required in ("id", "kind", "value"):
            if required not in body:
                raise self.fail(path + (required,), "missing required field")
        item_id = self.string(body["id"], path + ("id",))
        if not _ID_RE.match(item_id):
            raise self.fail(path + ("id",), "id must use lower case letters, digits and dashes")
        kind = self.string(body["kind"], path + ("kind",))
        if kind not in KINDS:
            raise self.fail(path + ("kind",), f"unknown kind {_shown(kind, self.hidden)}; use one of {', '.join(KINDS)}")
        value = self.string(body["value"], path + ("value",), secret=True)
        also = self.str_list(body.get("also"), path + ("also",), secret=True)
        owner = None
        if body.get("owner") is not None:
            owner = self.string(body["owner"], path + ("owner",))
            if owner not in parties:
                raise self.fail(path + ("owner",), f"unknown party {_shown(owner, self.hidden)} (declare it under parties)")
        withhold = None
        if "withhold_from" in body:
            withhold = self.party_list(body["withhold_from"], path + ("withhold_from",), parties)
        reason = self.string(body["reason"], path + ("reason",)) if body.get("reason") is not None else None
        for j, spelling in enumerate((value, *also)):
            where = path + (("value",) if j == 0 else ("also", j - 1))
            self.check_value(kind, spelling, where)
        return ProtectedItem(
            id=item_id, kind=kind, value=value, also=also, owner=owner,
            withhold_from=withhold, reason=reason,
        )

    def check_value(self, kind: str, value: str, path: tuple[Any, ...]) -> None:
        """Kind-specific checks. Messages describe the problem, never the value."""
        if kind == "regex":
            try:
                compiled = re.compile(value)
            except re.error as exc:
                reason = re.sub(r"'[^']*'", "(name)", exc.msg)  # a group name is part of the pattern
                raise self.fail(path, f"invalid regular expression: {reason} at position {exc.pos}") from None
            if compiled.match(""):
                raise self.fail(path, "regular expression matches empty text")
        elif kind == "phone":
            from .detectors.phones import phone_forms

            if not phone_forms(value):
                raise self.fail(path, "not a phone number that can be parsed (UK or +country form)")
        elif kind == "email":
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                raise self.fail(path, "not an e-mail address")
        elif kind == "postcode":
            from .detectors.postcodes import parse_postcode

            if parse_postcode(value) is None:
                raise self.fail(path, "not a UK postcode")
        elif not re.search(r"[^\W_]", value):
            raise self.fail(path, "has no letters or digits to match")

    def generic(self, value: Any) -> dict[str, str]:
        body = self.mapping(value, ("generic",), set(GENERIC_KINDS) | {"default"})
        out = {}
        for kind, sev in body.items():
            if sev is False:  # YAML 1.1 reads a bare `off` as false
                sev = "off"
            if sev not in SEVERITIES:
                raise self.fail(("generic", kind), f"must be one of {', '.join(SEVERITIES)}")
            out[kind] = sev
        return out


def _closest(word: str, choices: set[str]) -> str | None:
    from rapidfuzz import process

    best = process.extractOne(str(word), sorted(choices), score_cutoff=75)
    return best[0] if best else None
