"""MkDocs hook: the site's figures are drawn by ``snippets.plots`` at build time, cached one by one, never committed.

Each figure is cached as ``.cache/figures/<name>/<key>.svg``, with ``<key>.narrow.svg`` beside it when its panels
sit side by side: the same drawing with them stacked, which phones are sent (``hooks/figure_pages.py``). Its key
hashes the code the figure depends on: the module that registers it, every ``snippets`` module that module imports
(anywhere in its code), what those import in turn, the packages above each of them, the drawing entry point, and
the versions of the drawing libraries; and the data files those modules read, which a module names in a top-level
``DATA_FILES = ("path/from/the/project/root", ...)`` (read from its source, like the imports). So an edit (or new
results) redraws only the figures it touches, and the last few versions of each figure stay in the cache: undoing
an edit finds the earlier drawing again, at once.

``mkdocs build`` (CI, the tests) draws every missing figure before it writes the pages and fails on a figure's
error. ``mkdocs serve`` never waits for a figure: one that is not drawn yet is served as a placeholder image under
its own name (so no page links to a missing file), the drawing runs in the background at low priority (the server
keeps answering), and when all of it ends the hook touches one watched file: the site is rebuilt once and the open
pages reload with their figures. Pages refer to ``figures/<name>.svg`` relative to the site root.
"""

import ast
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from functools import cache
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.figures")


def use_root(root):
    """Work on the project at ``root`` (this checkout by default; the tests use a small one of their own)."""
    global ROOT, CACHE, DRAWN, TIMES, MEASURED, PLOTS, ENTRY
    ROOT = Path(root).resolve()
    CACHE = ROOT / ".cache" / "figures"
    DRAWN = CACHE / ".drawn"  # serve watches this folder: one file written when a background drawing ends
    TIMES = CACHE / ".times.json"  # seconds each figure took last time: to share the work out between processes
    MEASURED = ROOT / "hooks" / "figure_seconds.json"  # committed: the same, for a cache that has no times yet
    PLOTS = ROOT / "snippets" / "plots"
    # Drawing runs `python -m snippets.plots`, which imports only the figure's own module (registry.render).
    ENTRY = (PLOTS / "__main__.py", PLOTS / "registry.py")


use_root(Path(__file__).resolve().parent.parent)
LIBRARIES = ("numpy", "scipy", "matplotlib", "tensorflow", "keras", "scikit-learn", "networkx")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                    "TF_NUM_INTEROP_THREADS")  # threads per worker: NumPy's BLAS, TensorFlow's pools
KEEP_VERSIONS = 6  # per figure: undoing a few edits in a row finds each earlier drawing
PLACEHOLDER_MARK = "data-figure-placeholder"
_lock = threading.RLock()
_state = {"command": "build", "job": None, "failed": {}}


# What a figure depends on ------------------------------------------------------------------------------------------

def module_file(name):
    """The source file of module ``name`` ("snippets.a.b") in this checkout, or None if it is not one of ours."""
    parts = name.split(".")
    if parts[0] != "snippets":
        return None
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


_parsed = {}  # path -> ((mtime_ns, size), imported names): each file is parsed again only when it changes


def imports_of(path):
    """Names of the ``snippets`` modules that the file at ``path`` imports, at its top or inside a function.

    ``from package import name`` counts the package, and ``package.name`` when that is a module. A module that
    loads every module of a package by name (``pkgutil.iter_modules(package.__path__)``, as the model zoo's
    registry does) depends on all of them.
    """
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path in _parsed and _parsed[path][0] == stamp:
        return _parsed[path][1]
    tree = ast.parse(path.read_bytes(), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found, bound = set(), {}  # bound: local name -> the module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
                top = alias.name.split(".")[0]  # `import a.b` binds a; `import a.b as c` binds c to a.b
                bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..y import z
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            found.add(base)
            for alias in node.names:
                found.add(f"{base}.{alias.name}")  # kept below only if it is a module
                bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "iter_modules"
                and node.args and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "__path__"
                and isinstance(node.args[0].value, ast.Name)):
            init = module_file(bound.get(node.args[0].value.id, ""))
            if init is not None and init.name == "__init__.py":
                found.update(_module_name(p) for p in init.parent.glob("*.py"))
    names = frozenset(name for name in found if module_file(name) is not None)
    _parsed[path] = (stamp, names)
    return names


def dependencies(module):
    """Source files that drawing a figure of ``module`` runs: the module, what it imports from ``snippets/``,
    transitively, the ``__init__.py`` of every package above each of them, and the drawing entry point.

    The registry is a leaf: its ``all_figures()`` imports every plot module to list them, but drawing a figure
    imports only the figure's own module.
    """
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # packages run their __init__ first
        path = module_file(name)
        if path is not None and path not in ENTRY:
            todo.extend(imports_of(path))
    files = {module_file(name) for name in seen} | set(ENTRY)
    return sorted(path for path in files if path is not None)


_data = {}  # path -> ((mtime_ns, size), data file paths): like _parsed


def data_files(path):
    """The data files that the module at ``path`` reads, as it lists them in ``DATA_FILES``: a top-level tuple or
    list of string literals, each a path relative to the project root (the results of an experiment script, say).
    A figure's key hashes them, so new results redraw the figures that show them."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path in _data and _data[path][0] == stamp:
        return _data[path][1]
    found = ()
    for node in ast.parse(path.read_bytes(), filename=str(path)).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "DATA_FILES"
                                                for t in node.targets):
            try:
                found = ast.literal_eval(node.value)
            except ValueError:
                found = None
            if not isinstance(found, (tuple, list)) or not all(isinstance(f, str) for f in found):
                raise ValueError(f"{path.relative_to(ROOT)}:{node.lineno}: DATA_FILES must be a tuple of string "
                                 "literals, paths relative to the project root")
            found = tuple(found)
    _data[path] = (stamp, found)
    return found


def figure_modules():
    """{figure name: the module that registers it}, from the ``@figure("name")`` decorators in the sources."""
    found = {}
    for path in sorted(PLOTS.glob("*.py")):
        if path in ENTRY or path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            for decorator in getattr(node, "decorator_list", []):
                if (isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "figure"
                        and decorator.args and isinstance(decorator.args[0], ast.Constant)):
                    found[decorator.args[0].value] = _module_name(path)
    return dict(sorted(found.items()))


@cache
def _library_versions():
    versions = []
    for package in LIBRARIES:
        try:
            versions.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return "\n".join([sys.version] + versions).encode()


def figure_key(name, module):
    """The cache key of figure ``name`` drawn by ``module``: it changes exactly when code it runs, or a data file
    that code lists in ``DATA_FILES``, changes."""
    digest = hashlib.sha256(name.encode() + b"\0" + _library_versions())
    files = dependencies(module)
    for path in files:
        digest.update(b"\0" + str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for rel in sorted({rel for path in files for rel in data_files(path)}):
        data = ROOT / rel  # a missing file is hashed as missing: the figure is drawn and says what it lacks
        digest.update(b"\0data\0" + rel.encode() + b"\0" + (data.read_bytes() if data.is_file() else b"missing"))
    return digest.hexdigest()[:16]


def figure_keys():
    """{figure name: its cache key now} for every registered figure."""
    return {name: figure_key(name, module) for name, module in figure_modules().items()}


def version_path(name, key, narrow=False):
    """Where the cache keeps figure ``name`` drawn by the code with ``key`` (or its narrow variant, for phones)."""
    return CACHE / name / f"{key}.narrow.svg" if narrow else CACHE / name / f"{key}.svg"


def _versions(name):
    """The figure's drawn versions (not their narrow variants), most recently drawn or used first."""
    drawn = [p for p in (CACHE / name).glob("*.svg") if not p.name.endswith(".narrow.svg")]
    return sorted(drawn, key=lambda p: p.stat().st_mtime, reverse=True)


# Drawing -----------------------------------------------------------------------------------------------------------

def _load_times(path=None):
    try:
        return json.loads((path or TIMES).read_text())
    except (OSError, ValueError):
        return {}


def _share_out(names, workers):
    """Split ``names`` into at most ``workers`` groups of about equal drawing time (longest first, each to the
    least loaded group). Figures of one plot module stay together: they share trained models within a process.

    A figure's time is the one this cache remembers, else the one in ``hooks/figure_seconds.json`` (measured on
    a two-core machine; rewrite it from a full build's ``.cache/figures/.times.json`` when figures change a lot),
    else a guess: a cold cache shares the work out as well as a warm one."""
    modules = figure_modules()
    times = {**_load_times(MEASURED), **_load_times()}
    units = {}
    for name in names:
        units.setdefault(modules[name].split(".")[-1], []).append(name)
    # A plot module that imports another (future.py reuses cnn.py's trained CNN) draws in the same process.
    for module in list(units):
        for other in imports_of(PLOTS / f"{module}.py"):
            other = other.removeprefix("snippets.plots.")
            if other != module and other in units and module in units:
                units[other] += units.pop(module)
                break
    def guess(name):  # never drawn here: figures that train a Keras model take seconds, the others less than one
        deps = dependencies(modules[name])
        keras = re.compile(rb"^\s*(?:import|from) (?:keras|tensorflow)\b", re.M)
        return 8.0 if any(keras.search(path.read_bytes()) for path in deps) else 1.0

    cost = {unit: sum(times.get(n) or guess(n) for n in group) for unit, group in units.items()}
    if sum(cost.values()) < 20:  # not worth a second start of TensorFlow
        workers = 1
    groups = [[] for _ in range(min(workers, len(units)))]
    loads = [0.0] * len(groups)
    for unit in sorted(units, key=cost.get, reverse=True):
        i = loads.index(min(loads))
        groups[i] += units[unit]
        loads[i] += cost[unit]
    return [sorted(group) for group in groups if group]


class Drawing:
    """Draws the figures ``wanted`` ({name: key}) in worker processes (``python -m snippets.plots``), then moves
    each finished SVG into the cache under its key. ``background``: low priority, and ``on_done`` is called from
    a thread when every worker has ended (not when cancelled)."""

    def __init__(self, wanted, background=False, on_done=None):
        self.wanted, self.on_done, self.cancelled = dict(wanted), on_done, False
        self.failed, self.errors, self.seconds = {}, [], {}
        self.out = CACHE / f".drawing-{os.getpid()}-{time.monotonic_ns()}"
        self.out.mkdir(parents=True)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg", PYTHONPATH=str(ROOT))
        env.pop("PYTHONSTARTUP", None)
        self.processes = []
        # Two processes at most: each starts TensorFlow (seconds), and this is meant for a laptop's few cores.
        cores = os.cpu_count() or 1
        self.groups = _share_out(sorted(self.wanted), max(1, min(2, cores)))
        # The cores shared out between the workers: more threads than cores only wait for each other (OpenBLAS's
        # spinning threads made one NumPy figure ten times slower on a busy two-core machine). A setting of the
        # user's own wins.
        threads = str(max(1, cores // max(1, len(self.groups))))
        for variable in THREAD_VARIABLES:
            env.setdefault(variable, threads)
        for i, group in enumerate(self.groups):
            cmd = [sys.executable, "-m", "snippets.plots", str(self.out), *group]
            if background:
                cmd = ["nice", "-n", "10", *cmd] if shutil.which("nice") else cmd
            with open(self.out / f"worker-{i}.log", "w") as stderr:
                # Same process group as mkdocs: stopping the server (Ctrl-C) stops its drawing too.
                self.processes.append(
                    subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr))
        self.thread = threading.Thread(target=self._wait, daemon=True, name="figures")
        self.thread.start()

    @property
    def done(self):
        return not self.thread.is_alive()

    def _wait(self):
        for process in self.processes:
            process.wait()
        with _lock:
            if self.cancelled:
                return
            self._collect()
        if self.on_done is not None:
            self.on_done(self)

    def cancel(self):
        """Stop the workers; the figures they finished are kept."""
        with _lock:
            self.cancelled = True
            for process in self.processes:
                process.terminate()
            for process in self.processes:
                process.wait()
            self._collect()

    def _collect(self):
        for name, key in self.wanted.items():
            drawn, narrow = self.out / f"{name}.svg", self.out / f"{name}.narrow.svg"
            if drawn.is_file():
                version_path(name, key).parent.mkdir(parents=True, exist_ok=True)
                if narrow.is_file():  # first: a drawn version is only taken as whole with its narrow variant
                    narrow.replace(version_path(name, key, narrow=True))
                drawn.replace(version_path(name, key))
                _prune(name)
        for i, (process, group) in enumerate(zip(self.processes, self.groups, strict=True)):
            text = (self.out / f"worker-{i}.log").read_text(errors="replace")
            self.seconds.update((m[1], float(m[2])) for m in re.finditer(r"^figure (\S+): ([\d.]+) s$", text, re.M))
            for m in re.finditer(r"^figure (\S+) failed:\n(.*?)(?=^figure |^failed figure|\Z)", text, re.M | re.S):
                self.failed[m[1]] = self.wanted[m[1]]
                self.errors.append(f"figure {m[1]} failed:\n{m[2].strip()[-3000:]}")
            undrawn = [n for n in group if n not in self.failed and not version_path(n, self.wanted[n]).is_file()]
            if undrawn and not self.cancelled:  # the worker itself failed (an import error, killed, ...)
                self.failed.update((n, self.wanted[n]) for n in undrawn)
                self.errors.append(f"drawing {', '.join(undrawn)} failed (exit status {process.returncode}):\n"
                                   f"{text[-3000:]}")
        if self.seconds:
            times = _load_times()
            times.update(self.seconds)
            TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=1))
        shutil.rmtree(self.out, ignore_errors=True)


def _prune(name):
    """Keep the ``KEEP_VERSIONS`` most recently drawn or used versions of a figure."""
    for old in _versions(name)[KEEP_VERSIONS:]:
        old.unlink(missing_ok=True)
        old.with_name(f"{old.stem}.narrow.svg").unlink(missing_ok=True)


def _remove_leftovers():
    """The cache of older versions of this hook (one folder per hash of all of snippets/) and the drawing folders
    of processes that are gone."""
    for entry in CACHE.iterdir():
        if re.fullmatch(r"[0-9a-f]{16}(\.partial-\d+)?", entry.name):
            shutil.rmtree(entry, ignore_errors=True)
        elif m := re.fullmatch(r"\.drawing-(\d+)-\d+", entry.name):
            try:
                os.kill(int(m[1]), 0)
            except ProcessLookupError:
                shutil.rmtree(entry, ignore_errors=True)
            except PermissionError:
                pass


def placeholder(name, failed=False):
    """An SVG that stands in for figure ``name`` while it is drawn, as large as its last drawing if there is one."""
    width, height = 640, 360
    versions = _versions(name)
    if versions:
        head = versions[0].read_text(errors="replace")[:2000]
        if m := re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', head):
            width, height = round(float(m[1])), round(float(m[2]))
    text = ("This figure failed to draw: the terminal running mkdocs serve says why" if failed
            else "Drawing this figure: the page reloads when it is ready")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
            f'viewBox="0 0 {width} {height}" {PLACEHOLDER_MARK}="{name}">'
            f'<rect width="100%" height="100%" fill="#f2f2f5" stroke="#9a9aa6" stroke-dasharray="6 4"/>'
            f'<text x="50%" y="50%" text-anchor="middle" font-family="sans-serif" font-size="{max(10, width // 40)}" '
            f'fill="#444">{text}</text></svg>\n')


def _drawing_ended(job):
    for error in job.errors:
        log.error(error)
    with _lock:
        _state["failed"].update({name: key for name, key in job.failed.items() if key})
        if _state["job"] is not job:
            return
    drawn = len(job.wanted) - len(job.failed)
    log.info("Drew %d figure(s) in the background%s; rebuilding once", drawn,
             f", {len(job.failed)} failed" if job.failed else "")
    DRAWN.mkdir(parents=True, exist_ok=True)
    (DRAWN / "stamp").write_text(f"{time.time_ns()}\n")


# MkDocs events -----------------------------------------------------------------------------------------------------

def on_startup(command, dirty):
    _state["command"] = command


def snippet_folders():
    """Every folder of ``snippets/`` that holds Python files."""
    return sorted({path.parent for path in (ROOT / "snippets").rglob("*.py")})


def on_serve(server, config, builder):
    DRAWN.mkdir(parents=True, exist_ok=True)
    server.watch(str(DRAWN))
    # snippets/ folder by folder, not recursively: Python writes the bytecode of each module it imports (the figure
    # workers import snippets/) into a __pycache__ subfolder, and a recursive watch took each write for an edit
    # (14 rebuilds of the site on a cold start instead of 2).
    for folder in snippet_folders():
        server.watch(str(folder), recursive=False)
    return server


def on_shutdown():
    job = _state["job"]
    if job is not None and not job.done:
        job.cancel()


def on_files(files, config):
    CACHE.mkdir(parents=True, exist_ok=True)
    keys = figure_keys()
    with _lock:
        missing = {name: key for name, key in keys.items()
                   if not version_path(name, key).is_file() and _state["failed"].get(name) != key}
        if _state["command"] == "serve":
            job = _state["job"]
            running = job is not None and not job.done
            if missing and not (running and missing.items() <= job.wanted.items()):
                if running:
                    job.cancel()
                _remove_leftovers()
                log.info("Drawing %d figure(s) in the background: placeholders until the site reloads",
                         len(missing))
                _state["job"] = Drawing(missing, background=True, on_done=_drawing_ended)
    if _state["command"] != "serve" and missing:
        _remove_leftovers()
        start = time.monotonic()
        log.info("Drawing %d figure(s) (cached in %s)", len(missing), CACHE.relative_to(ROOT))
        job = Drawing(missing)
        job.thread.join()
        if job.failed or job.errors:
            raise PluginError("drawing the figures failed:\n" + "\n".join(job.errors))
        log.info("Drew %d figure(s) in %.0f s", len(missing), time.monotonic() - start)
    for name, key in keys.items():
        drawn = version_path(name, key)
        uri = f"figures/{name}.svg"
        if drawn.is_file():
            os.utime(drawn)  # recently used: kept by _prune
            files.append(File.generated(config, uri, abs_src_path=str(drawn)))
            narrow = version_path(name, key, narrow=True)
            if narrow.is_file():
                files.append(File.generated(config, f"figures/{name}.narrow.svg", abs_src_path=str(narrow)))
        else:
            files.append(File.generated(config, uri, content=placeholder(name, _state["failed"].get(name) == key)))
    return files
