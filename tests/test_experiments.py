"""experiments/reproduce_mnist1d.py, run small: what must hold at any size holds.

The committed table (experiments/results/mnist1d.md) comes from the full run; here the same script trains the
zoo's logistic regression, MLP and CNN on 1,200 sequences for a few epochs. At any size the CNN's inductive
bias pays on the standard split (CNN above MLP above logistic regression) and costs it when the positions are
shuffled (the CNN drops); the MLP, blind to order, does not care."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """The script's ``main`` run in this process, with the arguments of ``python experiments/reproduce_mnist1d.py
    --size small ...``: no TensorFlow start-up of its own (a pytest-xdist worker has imported TensorFlow already,
    conftest.py), about 8 s of CPU less than a subprocess. Each model is seeded by the script itself
    (``keras.utils.set_random_seed``), so the numbers are those of a fresh process."""
    output = tmp_path_factory.mktemp("mnist1d") / "mnist1d.md"
    spec = importlib.util.spec_from_file_location("reproduce_mnist1d", ROOT / "experiments" / "reproduce_mnist1d.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(["--size", "small", "--models", "logistic regression", "MLP", "CNN", "--keras-only",
                 "--output", str(output)])
    return output.read_text(encoding="utf8"), json.loads(output.with_suffix(".json").read_text())["ours"]


def test_cnn_beats_mlp_beats_logistic_regression_on_the_standard_split(small_run):
    _, ours = small_run
    test = {name: ours[f"keras/{name}/standard"]["test"] for name in ("logistic regression", "MLP", "CNN")}
    assert test["CNN"] > test["MLP"] > test["logistic regression"], test


def test_shuffling_costs_the_cnn_and_not_the_mlp(small_run):
    _, ours = small_run
    cnn_drop = ours["keras/CNN/standard"]["test"] - ours["keras/CNN/shuffled"]["test"]
    mlp_drop = ours["keras/MLP/standard"]["test"] - ours["keras/MLP/shuffled"]["test"]
    assert cnn_drop > 0.03 and cnn_drop > mlp_drop, (cnn_drop, mlp_drop)


def test_the_table_has_the_paper_beside_ours_and_says_how_it_was_made(small_run):
    table, _ = small_run
    assert "| CNN | 94% |" in table and "| MLP | 68% |" in table
    assert "Command: `python experiments/reproduce_mnist1d.py --size small" in table
    assert "TensorFlow" in table and "NumPy" in table
