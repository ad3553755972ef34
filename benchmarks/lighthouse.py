"""Lighthouse scores of the built site: the home page and the heaviest page, served locally, audited by npm's
``lighthouse`` driving Debian's Chromium. Results go to ``benchmarks/results/lighthouse.json``.

    .venv/bin/python benchmarks/lighthouse.py            # builds the site first (notebooks executed)
    .venv/bin/python benchmarks/lighthouse.py site/      # audits an existing build
    .venv/bin/python benchmarks/lighthouse.py site/ --runs 5

Targets (issue #6): performance >= 95 and accessibility >= 95 on both pages. Lighthouse is installed on first
use into ``.cache/npm`` at the exact version below (12.x runs on Node.js 18+; 13.x needs Node.js 22).

Scores vary from run to run (Lighthouse simulates a slow phone from what it measures on this machine, so any other
load on the machine shows up), so each page and preset is audited ``--runs`` times (3 by default): the recorded
scores are the medians, the other metrics those of the run with the median performance score, and every run's
scores and the load average before it are kept alongside.
"""

import argparse
import functools
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import SiteHandler  # noqa: E402  (the same static host as the browser tests)

LIGHTHOUSE_VERSION = "12.8.2"
NPM_PREFIX = ROOT / ".cache" / "npm"
CHROMIUM = "/usr/bin/chromium"
RESULTS = ROOT / "benchmarks" / "results" / "lighthouse.json"
TARGET = 95


def lighthouse_bin():
    binary = NPM_PREFIX / "node_modules" / ".bin" / "lighthouse"
    installed = NPM_PREFIX / "node_modules" / "lighthouse" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != LIGHTHOUSE_VERSION:
        subprocess.run(["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
                        "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def heaviest_page(site):
    """URL path of the page whose HTML plus same-site images is largest (what a first load must fetch)."""
    def weight(html):
        return html.stat().st_size + sum(p.stat().st_size for p in html.parent.glob("*.svg"))
    html = max((p for p in site.rglob("index.html")), key=weight)
    rel = html.parent.relative_to(site).as_posix()
    return "" if rel == "." else rel + "/"


def audit(binary, url, preset):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=performance,accessibility",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        if preset == "desktop":
            cmd.append("--preset=desktop")
        subprocess.run(cmd, check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
    }


def audit_runs(binary, url, preset, runs):
    """Median of ``runs`` audits: median scores, the median-performance run's metrics, and every run's scores."""
    audits = []
    for _ in range(runs):
        load = os.getloadavg()[0]
        audits.append({**audit(binary, url, preset), "load_average": round(load, 2)})
    ranked = sorted(audits, key=lambda a: a["performance"])
    median = dict(ranked[(len(ranked) - 1) // 2])
    del median["load_average"]
    median["performance"] = round(statistics.median(a["performance"] for a in audits))
    median["accessibility"] = round(statistics.median(a["accessibility"] for a in audits))
    median["runs"] = [{k: a[k] for k in ("performance", "accessibility", "total_blocking_time_ms",
                                         "largest_contentful_paint_ms", "load_average")} for a in audits]
    return median


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", help="an existing build (default: build the site first)")
    parser.add_argument("--runs", type=int, default=3, help="audits per page and preset; the median is kept")
    args = parser.parse_args(argv)
    if args.site:
        site = Path(args.site).resolve()
    else:
        site = Path(tempfile.mkdtemp(prefix="site-"))
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                       check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", TF_CPP_MIN_LOG_LEVEL="3"))
    binary = lighthouse_bin()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = {"home": "", "heaviest": heaviest_page(site)}
    results = {}
    for preset in ("mobile", "desktop"):
        for name, path in pages.items():
            scores = audit_runs(binary, base + path, preset, args.runs)
            results[f"{name} ({preset})"] = {"page": "/" + path, **scores}
            runs = " ".join(str(r["performance"]) for r in scores["runs"])
            print(f"{name:8s} {preset:7s} /{path:35s} performance {scores['performance']:3d} (runs: {runs})  "
                  f"accessibility {scores['accessibility']:3d}  {scores['transfer_bytes'] / 1e6:.2f} MB", flush=True)
    server.shutdown()
    version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "lighthouse": LIGHTHOUSE_VERSION, "browser": version,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "target": f"performance >= {TARGET} and accessibility >= {TARGET}",
        "method": f"median of {args.runs} runs per page and preset (Lighthouse's simulated throttling)",
        "results": results,
    }, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    misses = [k for k, r in results.items() if min(r["performance"], r["accessibility"]) < TARGET]
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
