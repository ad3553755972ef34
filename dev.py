#!/usr/bin/env python3
"""Set up and run the project on a fresh machine: ``python3 dev.py serve``, ``python3 dev.py test``.

Each command first makes sure ``.venv`` exists and holds exactly ``requirements.txt`` plus this package
(re-installing only when requirements.txt changed), so the two commands in the README are all the set-up a
fresh clone needs. Standard library only: it runs before anything is installed.

    python3 dev.py serve   # the site at http://127.0.0.1:8000, reloading on edits to docs/ and snippets/
    python3 dev.py test    # every test: units, executed pages, the strict build, browser checks
    python3 dev.py build   # the site into site/, strictly (what the publish workflow runs)
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".requirements.sha256"
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")


def run(*cmd, **kwargs):
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=kwargs.pop("env", ENV), **kwargs)


def ensure_venv():
    """Create .venv and install requirements.txt and the package, unless already done for this file."""
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    if STAMP.exists() and STAMP.read_text() == wanted.hexdigest() and PYTHON.exists():
        return
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs before the venv exists, on any python3)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating {VENV.name} with Python {sys.version.split()[0]}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-r", "requirements.txt")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
    STAMP.write_text(wanted.hexdigest())


def ensure_node_tools():
    """Install the npm tools the tests use (package-lock.json pins them) when package.json changed."""
    if shutil.which("npm") is None:
        sys.exit("npm (Node.js 18 or newer) is needed for the workflow linter and browser checks: install Node.js")
    lock = ROOT / "node_modules" / ".package-lock.json"
    if not lock.exists() or lock.stat().st_mtime < (ROOT / "package-lock.json").stat().st_mtime:
        run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")


def ensure_browser():
    """Install Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never downloads
    a browser). Idempotent: does nothing when it is already there. Needs root or sudo, as apt-get does."""
    if Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists():
        return
    if shutil.which("apt-get") is None:
        print("No /usr/bin/chromium and no apt-get: the browser tests will be skipped (they fail in CI)", flush=True)
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    apt_env = dict(ENV, DEBIAN_FRONTEND="noninteractive")
    run(*sudo, "apt-get", "update", "-qq", env=apt_env)
    run(*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", env=apt_env)


def serve():
    ensure_venv()
    os.execve(PYTHON, [str(PYTHON), "-m", "mkdocs", "serve", "--livereload", "-a", "127.0.0.1:8000"], ENV)


def build():
    ensure_venv()
    run(PYTHON, "-m", "mkdocs", "build", "--strict")


def test(pytest_args):
    ensure_venv()
    ensure_node_tools()
    ensure_browser()
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=ENV)
    sys.exit(result.returncode)


def main(argv):
    commands = {"serve": serve, "build": build}
    if argv[:1] == ["test"]:
        test(argv[1:])
    elif len(argv) == 1 and argv[0] in commands:
        commands[argv[0]]()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
