"""How long ``mkdocs serve`` takes to show the first page, in this checkout (goal of issue #6: within 15 s on a
2-core machine). Notebooks are not executed while serving and figures are drawn in the background, so this is the
time to convert and render the pages. Results go to ``benchmarks/results/serve_startup.json``.

    .venv/bin/python benchmarks/serve_startup.py [runs]
"""

import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.serving import Serve  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "serve_startup.json"
GOAL_S = 15.0


def main(argv):
    runs = int(argv[0]) if argv else 3
    times = []
    for _ in range(runs):
        with Serve(ROOT) as server:
            times.append(round(server.first_page_s, 2))
        print(f"first page after {times[-1]:.2f} s", flush=True)
    RESULTS.write_text(json.dumps({
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "goal_s": GOAL_S, "first_page_s": times, "median_s": statistics.median(times),
        "note": "figures already cached in .cache/figures; notebooks converted without execution",
    }, indent=2) + "\n")
    print(f"median {statistics.median(times):.2f} s (goal {GOAL_S} s); wrote {RESULTS.relative_to(ROOT)}")
    return 0 if statistics.median(times) <= GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
