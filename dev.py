#!/usr/bin/env python3
"""Set up and run the project on a fresh machine: ``python3 dev.py serve``, ``python3 dev.py test``.

Each command first makes sure ``.venv`` exists and holds exactly the lock, ``requirements.txt`` (every package
pinned, for Python 3.11, 3.12 and 3.13), plus this package (re-installing only when the lock changed), so the
two commands in the README are all the set-up a fresh clone needs. Standard library only: it runs before
anything is installed.

    python3 dev.py serve   # the site at http://127.0.0.1:8000, reloading on edits to docs/ and snippets/
    python3 dev.py test    # every test: units, executed pages, the strict build, browser checks
    python3 dev.py build   # the site into site/, strictly (what the publish workflow runs)
    python3 dev.py lock    # rewrite requirements.txt from requirements.in (after changing a pin there)
"""

import hashlib
import os
import re
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
UV = "uv==0.13.9"  # writes the universal lock; installed in its own folder, never into .venv
# The oldest Python the lock serves: pymdown-extensions 13 needs 3.11.5 or newer.
LOCK_PYTHON = "3.11.5"
# The lock is installed without byte-compiling it (pip's --no-compile saves 40 s of a fresh set-up on 2 cores):
# Python compiles a module the first time it is imported and keeps the result, so only what is used is compiled,
# once. That needs bytecode to be written: PYTHONDONTWRITEBYTECODE (set on some machines) would make every process
# compile TensorFlow anew, about 10 s each, so it is dropped for the commands run from here.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
ENV.update(TF_CPP_MIN_LOG_LEVEL="3", NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")


# pip prints this for each package when the machine's pip configuration names a local index folder that does not
# exist (this workplace's machines do); it is about the machine, not the project, and says nothing actionable.
PIP_NOISE = re.compile(r"^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$")


def run(*cmd, **kwargs):
    print("+", " ".join(map(str, cmd)), flush=True)
    cmd, env = [str(c) for c in cmd], kwargs.pop("env", ENV)
    if "pip" not in cmd:
        subprocess.run(cmd, check=True, cwd=ROOT, env=env, **kwargs)
        return
    with subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          **kwargs) as process:
        for line in process.stdout:
            if not PIP_NOISE.match(line.rstrip("\n")):
                print(line, end="", flush=True)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, cmd)


def install_at_once(python, parts):
    """``pip install --no-deps`` each list of pins in ``parts``, all at the same time, each part by its own pip;
    print what each said (less PIP_NOISE) once all have ended."""
    processes = []
    for pins in parts:
        print(f"+ {python} -m pip install --quiet --no-deps --no-compile {pins[0]} ... ({len(pins)} pins)", flush=True)
        cmd = [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", *pins]
        processes.append(subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True))
    outputs = [process.communicate()[0] for process in processes]
    for output in outputs:
        print("".join(line for line in output.splitlines(keepends=True) if not PIP_NOISE.match(line.rstrip("\n"))),
              end="", flush=True)
    for process in processes:
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)


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
    pip = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("pip=="))
    run(PYTHON, "-m", "pip", "install", "--quiet", pip)
    # Exactly the lock: every package comes from requirements.txt (--no-deps), so nothing floats, and a
    # package the lock does not hold is taken out again. TensorFlow's wheel alone takes as long to install as the
    # other 130 packages together, so two pips install the two parts at once (disjoint packages: no shared file).
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
            if "==" in line and not line.lstrip().startswith("#")]
    tensorflow = [pin for pin in pins if _normalize(pin.split("==")[0]) == "tensorflow"]
    rest = [pin for pin in pins if pin not in tensorflow]
    install_at_once(PYTHON, [part for part in (tensorflow, rest) if part])
    # setuptools warns on every editable install that a folder named like the package may shadow it: here that
    # folder *is* the package, which is the point of an editable install.
    quiet_build = dict(ENV, PYTHONWARNINGS="ignore:Editable installation.:Warning")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".", env=quiet_build)
    extra = [name for name in _installed(PYTHON) - _locked() if name not in ("pip", "snippets")]
    if extra:
        run(PYTHON, "-m", "pip", "uninstall", "--quiet", "--yes", *extra)
    run(PYTHON, "-m", "pip", "check")
    STAMP.write_text(wanted.hexdigest())


def _installed(python):
    """Normalized names of the distributions installed for ``python``."""
    code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout
    return {_normalize(name) for name in out.split()}


def _locked():
    """Normalized names of every package in requirements.txt (all platforms and Pythons)."""
    names = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            names.add(_normalize(line.split("==")[0]))
    return names


def _normalize(name):
    return name.strip().lower().replace("_", "-").replace(".", "-")


def lock():
    """Write requirements.txt, the universal lock, from requirements.in with uv (kept in .cache/lock-tool)."""
    tool = ROOT / ".cache" / "lock-tool"
    uv = tool / ("Scripts" if os.name == "nt" else "bin") / "uv"
    if not uv.exists():
        venv.create(tool, with_pip=True)
        run(tool / BIN.name / "python", "-m", "pip", "install", "--quiet", UV)
    run(uv, "pip", "compile", "requirements.in", "--universal", "--python-version", LOCK_PYTHON,
        "--quiet", "--no-annotate", "--custom-compile-command", "python3 dev.py lock", "-o", "requirements.txt")


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
    """The site readers get: the notebooks run at their full sizes. They run small where ``CI`` is set (the
    suite's build sets it), and GitHub Actions sets it in every job, the publishing one too."""
    ensure_venv()
    run(PYTHON, "-m", "mkdocs", "build", "--strict", env={name: v for name, v in ENV.items() if name != "CI"})


def test(pytest_args):
    ensure_venv()
    ensure_node_tools()
    ensure_browser()
    # Two pytest-xdist workers where there are two cores: each file's tests stay in one worker, in order; files are
    # handed out in collection order, where conftest.py puts the tests of the built site last (the site is built
    # once, in the background, from the session's start).
    parallel = [] if any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in pytest_args) or (
        os.cpu_count() or 1) < 2 else ["-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder"]
    # One BLAS thread and one thread per TensorFlow pool per worker: two workers with two threads per pool each on
    # two cores wait on each other's spinning threads (a NumPy training step measured 25 times slower that way;
    # the pages' fences took 147 s instead of 171 s with TensorFlow's pools at one thread, every output the same).
    threads = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                             "TF_NUM_INTEROP_THREADS"), "1")
    env = dict(ENV, **threads) if parallel else ENV
    result = subprocess.run([str(PYTHON), "-m", "pytest", *parallel, *pytest_args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def main(argv):
    commands = {"serve": serve, "build": build, "lock": lock}
    if argv[:1] == ["test"]:
        test(argv[1:])
    elif len(argv) == 1 and argv[0] in commands:
        commands[argv[0]]()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
