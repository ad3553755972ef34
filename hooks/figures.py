"""MkDocs hook: the site's figures are drawn by ``snippets.plots`` at build time, never committed.

Figures are rendered into ``.cache/figures/<key>/`` where the key hashes every source file under ``snippets/``
and the versions of the libraries that draw them, so a figure is redrawn exactly when its code can have changed.
``mkdocs build`` waits for the figures; ``mkdocs serve`` starts the drawing in the background, serves the pages at
once, and reloads when the figures are ready. Pages refer to ``figures/<name>.svg`` relative to the site root.
"""

import hashlib
import logging
import os
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.figures")
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "figures"
_state = {"command": "build", "job": None, "job_key": None}


def _key():
    digest = hashlib.sha256()
    for path in sorted((ROOT / "snippets").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for package in ("numpy", "matplotlib", "tensorflow", "keras", "scikit-learn", "networkx"):
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]


def _command(out_dir):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
    return [sys.executable, "-m", "snippets.plots", str(out_dir)], env


def _render_now(key):
    partial = CACHE / f"{key}.partial-{os.getpid()}"  # one per process: two builds may run at once
    shutil.rmtree(partial, ignore_errors=True)
    cmd, env = _command(partial)
    log.info("Drawing the site's figures (cached in %s)", CACHE.relative_to(ROOT))
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise PluginError(f"drawing the figures failed:\n{result.stderr[-4000:]}")
    try:
        partial.rename(CACHE / key)
    except OSError:  # another build finished the same figures first
        shutil.rmtree(partial, ignore_errors=True)


def _start_background(key):
    job = _state["job"]
    if job is not None and job.poll() is None:
        return  # one drawing at a time; the next rebuild starts another if the code changed again
    partial = CACHE / f"{key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    cmd, env = _command(partial)
    # Rename to the final folder only on success, which the server watches and reloads on.
    script = shlex.join(cmd)
    log.info("Drawing the site's figures in the background; the pages reload when they are ready")
    _state["job"] = subprocess.Popen(
        ["/bin/sh", "-c", f"{script} && mv {shlex.quote(str(partial))} {shlex.quote(str(CACHE / key))}"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _state["job_key"] = key


def on_startup(command, dirty):
    _state["command"] = command


def on_serve(server, config, builder):
    CACHE.mkdir(parents=True, exist_ok=True)
    server.watch(str(CACHE))
    return server


def on_files(files, config):
    CACHE.mkdir(parents=True, exist_ok=True)
    key = _key()
    ready = CACHE / key
    if not ready.is_dir():
        if _state["command"] == "serve":
            _start_background(key)
        else:
            _render_now(key)
    if ready.is_dir():
        for svg in sorted(ready.glob("*.svg")):
            files.append(File.generated(config, f"figures/{svg.name}", abs_src_path=str(svg)))
    for stale in CACHE.iterdir():
        if stale.name.split(".")[0] not in (key, _state["job_key"]):
            shutil.rmtree(stale, ignore_errors=True)
    return files
