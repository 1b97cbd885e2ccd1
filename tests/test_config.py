"""Defaults for the flags: flags > REDACTGUARD_<FLAG> environment variables > configuration file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from redactguard.cli import main

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "sample-case"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, the current folder, with no configuration yet."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("REDACTGUARD_")]:
        monkeypatch.delenv(name)
    return tmp_path


def scan(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", str(CASE / "bundle" / "contact-note.txt"), "--no-progress", *args], env=env)
    return result.exit_code, result.output


def write_settings(folder: Path, text: str, name: str = ".redactguard.toml") -> None:
    (folder / name).write_text(text.replace("ORDER", str(CASE / "order.yaml")), encoding="utf-8")


def test_a_redactguard_toml_gives_the_flags_their_defaults(project: Path) -> None:
    write_settings(project, 'order = "ORDER"\nrecipient = "respondent"\n[scan]\nformat = "json"\nno-generic = true\n')

    code, output = scan()

    assert code == 1
    report = json.loads(output)
    assert report["recipient"] == "respondent" and report["documents"][0]["status"] == "blocked"


def test_tool_redactguard_in_pyproject_is_read_from_a_folder_below(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings(project, '[project]\nname = "bundles"\n[tool.redactguard]\norder = "ORDER"\nrecipient = "respondent"\n'
                            '[tool.redactguard.scan]\nfail-on = "never"\nno-generic = true\n', name="pyproject.toml")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")

    code, output = scan()

    assert code == 0  # blocked, but --fail-on never from the file
    assert "BLOCKED" in output


def test_environment_beats_the_file_and_a_flag_beats_both(project: Path) -> None:
    write_settings(project, 'order = "ORDER"\nrecipient = "respondent"\nno-generic = true\n')

    assert scan()[0] == 1
    assert scan(env={"REDACTGUARD_RECIPIENT": "court"})[0] == 0  # nothing is withheld from the court
    assert scan("--recipient", "respondent", env={"REDACTGUARD_RECIPIENT": "court"})[0] == 1


def test_an_explicit_config_file_is_used(project: Path) -> None:
    write_settings(project, 'order = "ORDER"\nrecipient = "respondent"\nno-generic = true\n', name="case.toml")

    result = CliRunner().invoke(main, ["--config", "case.toml", "scan", str(CASE / "bundle" / "contact-note.txt"), "--no-progress"])

    assert result.exit_code == 1


@pytest.mark.parametrize(
    "settings, says",
    [
        pytest.param('colour = "07700 900461"\n', "unknown setting 'colour'", id="unknown-key"),
        pytest.param('[scan]\noutput-dir = "out"\n', "'scan' has no setting 'output-dir'", id="a-flag-of-another-command"),
        pytest.param('order = "07700 900461\n', "not a readable TOML file", id="broken-toml"),
    ],
)
def test_a_bad_configuration_is_a_usage_error_that_quotes_no_value(project: Path, settings: str, says: str) -> None:
    write_settings(project, settings)

    code, output = scan()

    assert code == 2
    assert says in output and "900461" not in output


def test_redact_reads_its_flags_too(project: Path) -> None:
    write_settings(project, 'order = "ORDER"\nrecipient = "respondent"\n[redact]\noutput-dir = "out"\n')

    result = CliRunner().invoke(main, ["redact", str(CASE / "bundle" / "contact-note.txt")])

    assert result.exit_code == 0, result.output
    assert (project / "out" / "contact-note.txt").is_file()
