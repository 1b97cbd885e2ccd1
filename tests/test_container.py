"""The container image, read without Docker: tools/check_wheel.sh builds the wheel from what the
Dockerfile copies and starts its CMD; these tests check the Dockerfile says what the docs say
(issue [13]): Debian slim, the one install script, the wheel, a user that is not root, and a
CMD and health check that the installed command accepts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import dockerfile  # noqa: E402

SCRIPT = REPO / "tools" / "install-system-packages.sh"


def test_both_stages_are_debian_slim() -> None:
    bases = [stage[0][1] for stage in dockerfile.stages()]
    assert len(bases) == 2 and all(re.fullmatch(r"python:3\.1[1-9]-slim-(bookworm|trixie)( AS \w+)?", b) for b in bases), bases


def test_the_image_installs_system_packages_with_the_script_ci_runs() -> None:
    runs = [rest for word, rest in dockerfile.stages()[-1] if word == "RUN"]
    assert any("install-system-packages.sh" in r and "--test" not in r for r in runs)
    assert "tools/install-system-packages.sh --test" in (REPO / ".ci" / "run").read_text()
    assert any(re.search(r"pip install .*redactguard-\*\.whl", r) for r in runs)
    users = [rest for word, rest in dockerfile.stages()[-1] if word == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_the_install_script_names_every_runtime_package() -> None:
    text = SCRIPT.read_text()
    for package in ("tesseract-ocr-eng", "tesseract-ocr-cym", "tesseract-ocr-osd", "poppler-utils",
                    "libreoffice-writer-nogui"):
        assert package in text
    assert subprocess.run(["bash", "-n", str(SCRIPT)]).returncode == 0
    done = subprocess.run(["bash", str(SCRIPT), "--bogus"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("apt-get") is None, reason="needs root and apt-get")
def test_the_install_script_leaves_every_program_and_language_in_place() -> None:
    done = subprocess.run(["bash", str(SCRIPT), "--test"], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    assert {"eng", "cym", "osd"} <= set(langs)


def test_the_wheel_stage_copies_what_the_wheel_is_built_from(tmp_path: Path) -> None:
    dockerfile.copy_context(tmp_path)
    for needed in ("pyproject.toml", "README.md", "LICENSE", "redactguard/cli.py", "models/redactguard_en/config.cfg"):
        assert (tmp_path / needed).is_file(), needed


def test_the_cmd_and_health_check_fit_the_service() -> None:
    cmd = dockerfile.command()
    assert cmd[:2] == ["redactguard", "serve"]
    port = cmd[cmd.index("--port") + 1]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    final = dockerfile.stages()[-1]
    assert ("EXPOSE", port) in final
    health = [rest for word, rest in final if word == "HEALTHCHECK"]
    assert health and f"127.0.0.1:{port}/healthz" in health[0]
    # every flag of the CMD is one `serve` takes
    help_text = subprocess.run([sys.executable, "-m", "redactguard", "serve", "--help"], capture_output=True,
                               text=True, check=True).stdout
    for flag in (a for a in cmd if a.startswith("--")):
        assert flag in help_text, flag
