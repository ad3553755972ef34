"""Render registered figures to SVG: ``python -m snippets.plots OUT_DIR [NAME ...]`` (every figure if no NAME).

The site build calls this (see ``hooks/figures.py``); readers can call it to regenerate one figure. Each figure is
written as ``OUT_DIR/NAME.svg`` when it is done; a figure that fails is reported (its traceback on stderr) and the
others are still drawn; the exit status is 1 if any failed.
"""

import os
import sys
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv):
    if not argv:
        print("usage: python -m snippets.plots OUT_DIR [NAME ...]", file=sys.stderr)
        return 2
    from snippets.plots.registry import figure_modules, render

    out_dir, names = argv[0], argv[1:]
    known = figure_modules()
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"unknown figure(s) {', '.join(unknown)}; expected some of: {', '.join(known)}", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    failed = []
    for name in names or known:
        start = time.perf_counter()
        try:
            render(name, os.path.join(out_dir, f"{name}.svg"))
        except Exception:
            failed.append(name)
            print(f"figure {name} failed:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            continue
        print(f"figure {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    if failed:
        print(f"failed figure(s): {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
