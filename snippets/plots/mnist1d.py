"""MNIST-1D figures: example sequences, and the accuracy each architecture reached against the paper's (from the
results that experiments/reproduce_mnist1d.py wrote)."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from snippets.plots.registry import figure

# Paths from the project root of the data files read here: hooks/figures.py hashes them into the figures' cache
# keys, so a new run of the experiment redraws the figures.
DATA_FILES = ("experiments/results/mnist1d.json",)
RESULTS = Path(__file__).resolve().parents[2] / DATA_FILES[0]
MODELS = ("logistic regression", "MLP", "CNN", "GRU")


@figure("mnist1d_examples")
def mnist1d_examples():
    from snippets.tf_zoo.datasets import mnist1d_arrays

    (x, y), _ = mnist1d_arrays()  # generated once: the shuffled panel permutes the same sequences
    xs = x[:, np.random.default_rng(0).permutation(x.shape[1])]  # the loader's permutation (shuffled=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, data, title in ((axes[0], x, "standard"), (axes[1], xs, "positions shuffled")):
        for digit in range(3):
            i = int(np.flatnonzero(y == digit)[0])
            ax.plot(data[i] + 3 * digit, marker=".", label=f"digit {digit}")
        ax.set_title(title)
        ax.set_xlabel("position (of 40)")
    axes[0].set_ylabel("value (offset per digit)")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


@figure("mnist1d_accuracy")
def mnist1d_accuracy():
    results = json.loads(RESULTS.read_text(encoding="utf8"))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    width = 0.27
    for ax, split, column in ((axes[0], "standard", 0), (axes[1], "shuffled", 1)):
        positions = np.arange(len(MODELS))
        series = {
            "paper": [results["paper"][m][column] for m in MODELS],
            "Keras (zoo)": [_ours(results, "keras", m, split) for m in MODELS],
            "NumPy (this site)": [_ours(results, "numpy", m, split) for m in MODELS],
        }
        for offset, (label, values) in enumerate(series.items()):
            heights = [np.nan if v is None else v for v in values]
            ax.bar(positions + (offset - 1) * width, heights, width, label=label)
        ax.set_xticks(positions, ["logistic\nregression", "MLP", "CNN", "GRU"])
        ax.set_title(f"{split} positions")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("test accuracy")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def _ours(results, side, model, split):
    entry = results["ours"].get(f"{side}/{model}/{split}")
    return None if entry is None else entry["test"]
