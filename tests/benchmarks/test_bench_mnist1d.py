"""benchmarks/bench_mnist1d.py at a reduced size: what must hold at any size, and the table it writes.

On the standard split the CNN beats the MLP, which beats logistic regression; shuffling the 40 positions
costs the CNN much of its accuracy. (The full-size numbers, beside the paper's, are in
benchmarks/results/mnist1d.md.)
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_mnist1d  # noqa: E402

SMALL = {"epochs": 15, "patience": 3, "num_train": 2000, "verbose": False}


@pytest.fixture(scope="module")
def results():
    found = bench_mnist1d.run(("logistic", "mlp", "cnn"), ("mnist1d",), **SMALL)
    found.update(bench_mnist1d.run(("cnn",), ("mnist1d-shuffled",), **SMALL))
    return found


@pytest.mark.slow
def test_cnn_beats_mlp_beats_logistic_and_loses_its_lead_when_shuffled(results):
    test = {key: r["test"] for key, r in results.items()}
    assert test["cnn", "mnist1d"] > test["mlp", "mnist1d"] > test["logistic", "mnist1d"] > 0.15, test
    assert test["cnn", "mnist1d-shuffled"] < test["cnn", "mnist1d"] - 0.1, test
    for r in results.values():
        assert 1 <= r["epochs"] <= SMALL["epochs"] and 0.0 <= r["val"] <= 1.0


@pytest.mark.slow
def test_the_table_puts_ours_beside_the_paper_and_says_how_it_was_made(results):
    lines = bench_mnist1d.table(results, "python benchmarks/bench_mnist1d.py --epochs 15")
    assert lines[0].startswith("| model | paper, standard | ours, standard")
    rows = {line.split(" | ")[0].strip("| "): line for line in lines if line.startswith("| ")}
    assert rows["CNN"].startswith("| CNN | 94% | ") and rows["CNN"].count("%") == 4
    assert "not run" in rows["MLP"]  # the MLP was not trained on the shuffled split here
    assert rows["logistic regression"].split(" | ")[3] == "—"  # the paper gives it once
    footer = "\n".join(lines)
    assert "Command: `python benchmarks/bench_mnist1d.py --epochs 15`" in footer
    assert "TensorFlow" in footer and "logical cores" in footer
