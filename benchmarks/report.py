"""The lines every benchmark table ends with: the machine, the library versions and the command that wrote it."""

import platform
import sys
from pathlib import Path

import numpy as np


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, or what ``platform`` knows where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def versions(tf, keras):
    """Python, NumPy, TensorFlow and Keras versions, for a table's footer."""
    return (f"Python {platform.python_version()}, NumPy {np.__version__}, TensorFlow {tf.__version__}, "
            f"Keras {keras.__version__}")


def command(script, argv):
    """The command line that reproduces this run: ``argv`` as passed to ``main``, else the script's own."""
    args = sys.argv[1:] if argv is None else argv
    return f"python benchmarks/{script} {' '.join(args)}".strip()


def write(path, lines):
    """Write the table's lines to ``path`` (its folder made if missing) and say so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf8")
    print(f"wrote {path}")

