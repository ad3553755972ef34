"""What ``mkdocs serve`` costs a reader, measured on a copy of this checkout (issue 17, item 1).

1. Cold: a copy with no ``.cache`` (no figure drawn). Time to the first page, and until every figure is served
   drawn (not its placeholder), with the number of site rebuilds meanwhile.
2. Edit: a comment added to a snippet section that a page includes and some figures import. Time until the page
   served shows it, and until the figures it affects are drawn again; which figures were redrawn.
3. Undo: the edit taken back. Time until the page shows the old code, and until every figure is back (expected at
   once: the earlier versions are kept); figures redrawn (expected none).
4. Warm: the server started again on the now warm cache, ``runs`` times: time to the first page.

Throughout, a client asks for a page and a figure every 0.25 s: a request fails if it gets no answer within 10 s
or an HTTP status other than 200. Every ``WARNING`` line the server logs is counted. Results go to
``benchmarks/results/serve_figures.json``.

    .venv/bin/python benchmarks/serve_figures.py [runs] [--worktree]

The copy is the last commit (``git archive HEAD``), which the tests passed on; ``--worktree`` copies the working
tree instead, uncommitted edits included.
"""

import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.report import command, cpu_model  # noqa: E402
from tests.browser.serving import Serve  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "serve_figures.json"
GOALS = {"first_page_warm_s": 5.0, "every_figure_cold_s": 60.0, "edit_on_page_s": 5.0, "failed_requests": 0,
         "warning_lines": 0}
PLACEHOLDER = b"data-figure-placeholder"
SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "node_modules", ".hypothesis", "__pycache__",
                              ".pytest_cache", "*.egg-info", "build")


def _hook():
    import importlib.util

    spec = importlib.util.spec_from_file_location("figures_hook", ROOT / "hooks" / "figures.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def _get(url, timeout=10):
    """(status, body, seconds); status 0 when there was no answer."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, b"", time.monotonic() - start
    except OSError:
        return 0, b"", time.monotonic() - start


class Client(threading.Thread):
    """Asks for ``urls`` in turn every 0.25 s; counts the requests that fail and keeps the slowest answer."""

    def __init__(self, urls):
        super().__init__(daemon=True)
        self.urls, self.requests, self.failed, self.slowest_s, self.stop = urls, 0, [], 0.0, threading.Event()

    def run(self):
        i = 0
        while not self.stop.is_set():
            url = self.urls[i % len(self.urls)]
            status, _, seconds = _get(url)
            self.requests += 1
            self.slowest_s = max(self.slowest_s, seconds)
            if status != 200:
                self.failed.append(f"{url}: {status or 'no answer within 10 s'}")
            i += 1
            self.stop.wait(0.25)


def _wait_for(check, timeout, step=0.1):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(step)
    return None


def _drawn(server, name):
    status, body, _ = _get(f"{server.url}figures/{name}.svg")
    return status == 200 and PLACEHOLDER not in body[:2000]


def _all_drawn(server, names):
    return all(_drawn(server, name) for name in names)


def _page_url(docs, page):
    rel = page.relative_to(docs).with_suffix("")
    return "" if rel.as_posix() == "index" else (rel.parent if rel.name == "index" else rel).as_posix() + "/"


def _edit_target(copy, hook):
    """(page URL path, snippet file, section, figures that import the file): an included section whose file some
    figures depend on, the fewest of them first (an edit a reader makes to one primitive)."""
    hook.use_root(copy)
    modules = hook.figure_modules()
    users = {}
    for name, module in modules.items():
        for path in hook.dependencies(module):
            users.setdefault(path.relative_to(copy).as_posix(), set()).add(name)
    candidates = []
    for page in sorted((copy / "docs").rglob("*.md")):
        for m in re.finditer(r'--8<-- "(snippets/[^":]+\.py):([\w-]+)"', page.read_text(encoding="utf8")):
            if m[1] in users and not m[1].startswith("snippets/plots/"):
                candidates.append((len(users[m[1]]), _page_url(copy / "docs", page), m[1], m[2], users[m[1]]))
    candidates.sort(key=lambda c: c[0])
    return candidates[0][1:]


def _versions():
    names = ("mkdocs", "mkdocs-material", "mkdocs-jupyter", "matplotlib", "numpy", "tensorflow", "keras")
    found = [f"Python {platform.python_version()}"]
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def _head():
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return head.stdout.strip()


def _rebuilds(log):
    return log.count("Building documentation...")


def _warnings(log):
    return [line for line in log.splitlines() if "WARNING" in line]


def _copy(dest, worktree):
    if worktree:
        def skip(folder, names):  # and sockets, such as a running Jupyter kernel's
            special = {n for n in names if not (Path(folder, n).is_file() or Path(folder, n).is_dir())}
            return set(SKIP(folder, names)) | special

        shutil.copytree(ROOT, dest, ignore=skip)
        return
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    dest.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def main(argv):
    worktree = "--worktree" in argv
    argv = [a for a in argv if a != "--worktree"]
    runs = int(argv[0]) if argv else 3
    hook = _hook()
    names = sorted(hook.figure_modules())
    results = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "command": command("serve_figures.py", argv),
               "machine": f"{cpu_model()}, {os.cpu_count()} cores",
               "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "versions": _versions(),
               "figures": len(names), "goals": GOALS}
    warnings, failed, requests, slowest = [], [], 0, 0.0
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        copy = Path(tmp) / "site"
        _copy(copy, worktree)
        results["tree"] = "working tree" if worktree else f"HEAD {_head()}"
        url_path, snippet, section, affected = _edit_target(copy, hook)

        # 1. Cold cache.
        with Serve(copy, timeout=300) as server:
            client = Client([server.url, server.url + url_path, f"{server.url}figures/{names[0]}.svg"])
            client.start()
            results["first_page_cold_s"] = round(server.first_page_s, 2)
            every = _wait_for(lambda: _all_drawn(server, names), timeout=600, step=0.5)
            results["every_figure_cold_s"] = every and round(server.first_page_s + every, 1)
            time.sleep(3)  # the rebuild that follows the drawing, and a moment after it
            results["rebuilds_cold"] = _rebuilds(server.log())
            print(f"cold: first page {results['first_page_cold_s']} s, every figure after "
                  f"{results['every_figure_cold_s']} s, {results['rebuilds_cold']} builds", flush=True)

            # 2. An edit to a snippet that a page includes and some figures import.
            source = copy / snippet
            text = source.read_text(encoding="utf8")
            end = f"# --8<-- [end:{section}]"
            marker = f"serve_check_{uuid.uuid4().hex[:8]}"
            versions_before = {n: set((copy / ".cache" / "figures" / n).glob("*.svg")) for n in names}
            builds_before = _rebuilds(server.log())
            source.write_text(text.replace(end, f"# {marker}\n{end}", 1), encoding="utf8")
            page = server.url + url_path
            shown = _wait_for(lambda: marker.encode() in _get(page, timeout=60)[1], timeout=120)
            drawn = _wait_for(lambda: _all_drawn(server, names), timeout=300, step=0.25)
            time.sleep(3)
            redrawn = sorted(n for n in names
                             if set((copy / ".cache" / "figures" / n).glob("*.svg")) - versions_before[n])
            results["edit"] = {
                "file": snippet, "section": section, "page": "/" + url_path,
                "figures_that_import_it": sorted(affected), "figures_redrawn": redrawn,
                "on_page_s": shown and round(shown, 2), "its_figures_drawn_s": drawn and round(drawn, 1),
                "rebuilds": _rebuilds(server.log()) - builds_before}
            results["edit_on_page_s"] = results["edit"]["on_page_s"]
            print(f"edit: {results['edit']}", flush=True)

            # 3. The edit undone.
            versions_before = {n: set((copy / ".cache" / "figures" / n).glob("*.svg")) for n in names}
            builds_before = _rebuilds(server.log())
            source.write_text(text, encoding="utf8")
            shown = _wait_for(lambda: marker.encode() not in _get(page, timeout=60)[1], timeout=120)
            drawn = _wait_for(lambda: _all_drawn(server, names), timeout=300, step=0.25)
            time.sleep(3)
            redrawn = sorted(n for n in names
                             if set((copy / ".cache" / "figures" / n).glob("*.svg")) - versions_before[n])
            results["undo"] = {"on_page_s": shown and round(shown, 2),
                               "every_figure_back_s": drawn and round(shown + drawn, 2), "figures_redrawn": redrawn,
                               "rebuilds": _rebuilds(server.log()) - builds_before}
            print(f"undo: {results['undo']}", flush=True)
            client.stop.set()
            client.join()
            warnings += _warnings(server.log())
            failed += client.failed
            requests += client.requests
            slowest = max(slowest, client.slowest_s)

        # 4. Warm cache: the command as a reader types it again.
        times = []
        for _ in range(runs):
            with Serve(copy) as server:
                times.append(round(server.first_page_s, 2))
                all_there = _all_drawn(server, names)
                time.sleep(1)
                warnings += _warnings(server.log())
            print(f"warm: first page after {times[-1]} s, every figure there at once: {all_there}", flush=True)
        results["first_page_warm_runs_s"] = times
        results["first_page_warm_s"] = statistics.median(times)
    results["requests"] = requests
    results["failed_requests"] = len(failed)
    results["failed_request_examples"] = failed[:10]
    results["slowest_answer_s"] = round(slowest, 2)
    results["warning_lines"] = len(warnings)
    results["warning_examples"] = warnings[:10]
    met = {goal: results[goal] is not None and results[goal] <= limit for goal, limit in GOALS.items()}
    results["goals_met"] = met
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf8")
    print(json.dumps({k: results[k] for k in [*GOALS, "slowest_answer_s", "goals_met"]}, indent=1))
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
