"""The benchmark scripts run end to end and write their tables.

Tiny sizes and one repeat in one block: the numbers mean nothing here and no test reads a timing; what is checked
is that every primitive and batch size gets its row and the goals their verdicts, so a changed
signature in ``snippets`` cannot leave a benchmark broken until someone runs it by hand.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script, *args, output):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--output", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return output.read_text(encoding="utf8")


def test_primitives_benchmark_writes_every_row_and_verdict(tmp_path):
    table = _run("bench_primitives.py", "--repeats", "1", "--blocks", "1", output=tmp_path / "primitives.md")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    per_primitive = {name: sum(f"| `{name}` | x" in row or f"| `{name}` | q" in row for row in rows)
                     for name in ("conv2d", "max_pool2d", "lstm", "attention")}
    assert per_primitive == {"conv2d": 5, "max_pool2d": 4, "lstm": 2, "attention": 3}
    for name in ("conv2d", "max_pool2d", "lstm"):  # the summary: a verdict for every goal
        assert any(row.startswith(f"| `{name}` |") and "| mean ≤ 2.0x |" in row
                   and ("| met |" in row or "| **missed** |" in row) for row in rows)
    assert "Allocator" not in table and "Command: `python benchmarks/bench_primitives.py --repeats 1" in table


def test_mlp_benchmark_writes_a_row_per_batch_size(tmp_path):
    table = _run("bench_numpy_mlp.py", "--samples", "256", "--batch-sizes", "32", "64", "--trials", "1",
                 "--repeats", "1", output=tmp_path / "mlp.md")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    # two tables, each with a row per batch size: throughput against Keras, then dense against bare matmul
    assert [row.split("|")[1].strip() for row in rows] == ["32", "64", "32", "64"]
    for row in rows:
        assert "| met |" in row or "| **missed** |" in row
    assert all(row.rstrip(" |").endswith("x") for row in rows[:2])  # the ratio of the medians
    assert "goal ≥ 1.5x" in table and "Allocator" not in table  # the plain code, with glibc's defaults


def test_subnormals_benchmark_writes_a_row_per_optimizer(tmp_path):
    table = _run("bench_subnormals.py", "--size", "1000", "--steps", "200", output=tmp_path / "subnormals.md")
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == ["SGD(momentum=0.9)", "RMSprop", "Adam"]
    for row in rows:
        assert row.split("|")[3].strip() == "0"  # flushed: no running average is subnormal at the end


def test_loops_benchmark_writes_a_row_per_implementation(tmp_path):
    table = _run("bench_loops.py", "--size", "small", "--repeats", "1", output=tmp_path / "loops.md")
    rows = [line for line in table.splitlines() if line.startswith("| dense") or line.startswith("| conv2d")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "Python loops", "a loop over examples", "NumPy (`x @ W + b`)", "TensorFlow",
        "a loop over output pixels", "NumPy (`conv2d`, im2col)", "TensorFlow"]
    assert sum(row.rstrip(" |").endswith("| 1x") for row in rows) == 2  # each operation's NumPy reference
    assert "Command: `python benchmarks/bench_loops.py --size small --repeats 1" in table
