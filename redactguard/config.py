"""Defaults for the command line's flags, from a configuration file.

A project keeps its usual flags (its order, its recipient, its `--fail-on`) in `.redactguard.toml`
or in `[tool.redactguard]` of its `pyproject.toml`, found in the current folder or the nearest
folder above it that has either. Keys are the flags' long names (`order`, `fail-on`, `jobs`);
top-level keys apply to every command that has the flag, and `[scan]` / `[redact]` tables
(`[tool.redactguard.scan]`) to that command alone. Flags given on the command line win, then
`REDACTGUARD_<FLAG>` environment variables, then the file (click's own order: command line,
environment, `default_map`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import UsageError

__all__ = ["CONFIG_NAME", "find_config", "read_config", "load_defaults", "env_name"]

CONFIG_NAME = ".redactguard.toml"


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above `start`: (file, its redactguard table), or None."""
    for folder in (start, *start.parents):
        for candidate in (folder / CONFIG_NAME, folder / "pyproject.toml"):
            if candidate.is_file():
                table = read_config(candidate)
                if table is not None:
                    return candidate, table
    return None


def read_config(path: Path) -> dict[str, Any] | None:
    """The redactguard settings of one file: a whole `.redactguard.toml` (or any other TOML
    file named explicitly), or `[tool.redactguard]` of a `pyproject.toml` (None if it has none)."""
    data = _read(path)
    if path.name != "pyproject.toml":
        return data
    table = data.get("tool", {}).get("redactguard")
    return table if isinstance(table, dict) else None


def load_defaults(path: Path, table: Mapping[str, Any], commands: Mapping[str, Iterable[Any]]) -> dict[str, dict[str, Any]]:
    """click's `default_map` from a configuration table: {command: {parameter name: value}}.

    `commands` gives each command's click parameters, so a key is checked against the flags the
    command really has; a key no command has is a usage error naming the file and the key.
    """
    flags = {name: {_flag(p): p.name for p in params if _flag(p)} for name, params in commands.items()}
    out: dict[str, dict[str, Any]] = {name: {} for name in commands}
    for key, value in table.items():
        if key in commands and isinstance(value, dict):
            continue
        known = [name for name in commands if key in flags[name]]
        if not known:
            raise UsageError(f"{path}: unknown setting '{key}' (settings are the long names of flags)")
        for name in known:
            out[name][flags[name][key]] = value
    for name in commands:
        section = table.get(name)
        if isinstance(section, dict):
            for key, value in section.items():
                if key not in flags[name]:
                    raise UsageError(f"{path}: '{name}' has no setting '{key}'")
                out[name][flags[name][key]] = value
    return out


def env_name(param: Any) -> str | None:
    """`REDACTGUARD_FAIL_ON` for `--fail-on`: every command reads the same variable for a flag."""
    flag = _flag(param)
    return None if flag is None else "REDACTGUARD_" + flag.upper().replace("-", "_")


def _flag(param: Any) -> str | None:
    longs = [opt[2:] for opt in getattr(param, "opts", ()) if opt.startswith("--")]
    if not longs or getattr(param, "param_type_name", "") != "option":
        return None
    return longs[0]


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        # tomllib's message names a line and column, never the file's text
        raise UsageError(f"{path}: not a readable TOML file ({exc})") from None
