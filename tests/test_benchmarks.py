"""The benchmark scripts run end to end and write their tables.

Tiny sizes (one example per shape for the primitives) and one repeat in one block, all four scripts in this
interpreter: the numbers mean nothing here and no test reads a timing; what is checked
is that every primitive and batch size gets its row and the goals their verdicts, so a changed
signature in ``snippets`` cannot leave a benchmark broken until someone runs it by hand.
"""

import importlib
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# script: its arguments (small sizes, one repeat)
RUNS = {
    "bench_primitives.py": ["--repeats", "1", "--blocks", "1", "--batch", "1"],
    "bench_numpy_mlp.py": ["--samples", "256", "--batch-sizes", "32", "64", "--trials", "1", "--repeats", "1"],
    "bench_subnormals.py": ["--size", "1000", "--steps", "200"],
    "bench_loops.py": ["--size", "small", "--repeats", "1"],
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """Every benchmark of RUNS run once: script -> the table it wrote, or the traceback of its failure.

    Each script's main(argv) is called in this process, as `python benchmarks/SCRIPT ARGV` calls it: no TensorFlow
    start-up of their own (a pytest-xdist worker has imported TensorFlow already, conftest.py), about 8 s of CPU
    less than one subprocess for the four. A script that fails leaves its traceback and the others still run."""
    out = tmp_path_factory.mktemp("benchmarks")
    failed = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "benchmarks"))  # the scripts import report.py from there
        for script, argv in RUNS.items():
            try:
                importlib.import_module(script.removesuffix(".py")).main([*argv, "--output", str(out / f"{script}.md")])
            except (Exception, SystemExit):  # argparse exits on bad arguments
                failed[script] = traceback.format_exc()
    return {script: failed.get(script) or (out / f"{script}.md").read_text(encoding="utf8") for script in RUNS}


def _table(tables, script):
    assert script in tables and "Traceback" not in tables[script], tables[script]
    return tables[script]


def test_primitives_benchmark_writes_every_row_and_verdict(tables):
    table = _table(tables, "bench_primitives.py")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    per_primitive = {name: sum(f"| `{name}` | x" in row or f"| `{name}` | q" in row for row in rows)
                     for name in ("conv2d", "max_pool2d", "lstm", "attention")}
    assert per_primitive == {"conv2d": 5, "max_pool2d": 4, "lstm": 2, "attention": 3}
    for name in ("conv2d", "max_pool2d", "lstm"):  # the summary: a verdict for every goal
        assert any(row.startswith(f"| `{name}` |") and "| mean ≤ 2.0x |" in row
                   and ("| met |" in row or "| **missed** |" in row) for row in rows)
    assert "Allocator" not in table
    assert "Command: `python benchmarks/bench_primitives.py --repeats 1 --blocks 1 --batch 1" in table


def test_mlp_benchmark_writes_a_row_per_batch_size(tables):
    table = _table(tables, "bench_numpy_mlp.py")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    # two tables, each with a row per batch size: throughput against Keras, then dense against bare matmul
    assert [row.split("|")[1].strip() for row in rows] == ["32", "64", "32", "64"]
    for row in rows:
        assert "| met |" in row or "| **missed** |" in row
    assert all(row.rstrip(" |").endswith("x") for row in rows[:2])  # the ratio of the medians
    assert "goal ≥ 1.5x" in table and "Allocator" not in table  # the plain code, with glibc's defaults


def test_subnormals_benchmark_writes_a_row_per_optimizer(tables):
    table = _table(tables, "bench_subnormals.py")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == ["SGD(momentum=0.9)", "RMSprop", "Adam"]
    for row in rows:
        assert row.split("|")[3].strip() == "0"  # flushed: no running average is subnormal at the end


def test_loops_benchmark_writes_a_row_per_implementation(tables):
    table = _table(tables, "bench_loops.py")
    rows = [line for line in table.splitlines() if line.startswith("| dense") or line.startswith("| conv2d")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "Python loops", "a loop over examples", "NumPy (`x @ W + b`)", "TensorFlow",
        "a loop over output pixels", "NumPy (`conv2d`, im2col)", "TensorFlow"]
    assert sum(row.rstrip(" |").endswith("| 1x") for row in rows) == 2  # each operation's NumPy reference
    assert "Command: `python benchmarks/bench_loops.py --size small --repeats 1" in table
