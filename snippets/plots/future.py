"""Figures of the Future Directions pages: attention weights, karate club embeddings, a saliency map.

Only drawing lives here; the training runs are in ``snippets/tf_zoo/`` (``transformer_training.py``,
``karate.py``, ``saliency.py``, ``digits_cnn.py``), where the pages include them from.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
from matplotlib.figure import Figure

from snippets.plots.cnn import train_digits_cnn  # the CNN figures' cached run: hooks/figures.py draws them together
from snippets.plots.registry import figure
from snippets.tf_zoo.datasets import sentiment_arrays
from snippets.tf_zoo.few_shot import digits_few_shot
from snippets.tf_zoo.karate import karate_club, train_gcn
from snippets.tf_zoo.saliency import saliency
from snippets.tf_zoo.transformer_training import attention_inputs, train_transformer


def _sentiment_transformer():
    """The transformer page's run: 800 generated reviews, 80% to train; (model, x_test)."""
    x, y = sentiment_arrays(n=800, sequence_length=20, vocab_size=50, seed=0)
    cut = int(0.8 * len(x))
    return train_transformer(x[:cut], y[:cut], vocab_size=50), x[cut:]


@figure("future-attention-weights")
def attention_weights():
    """Heat maps of both heads' attention weights for one generated review, from a trained transformer."""
    model, x_test = _sentiment_transformer()
    tokens = x_test[:1]
    embedded, mask = attention_inputs(model, tokens)
    _, scores = model.get_layer("attention_0")(embedded, embedded, attention_mask=mask,
                                               return_attention_scores=True)
    scores = keras.ops.convert_to_numpy(scores)[0]
    length = int((tokens[0] != 0).sum())
    labels = ["+" if 1 <= t <= 5 else "-" if 6 <= t <= 10 else "." for t in tokens[0, :length]]
    fig = Figure(figsize=(9, 4))
    axes = fig.subplots(1, scores.shape[0])
    for head, ax in enumerate(axes):
        image = ax.imshow(scores[head, :length, :length], cmap="viridis", vmin=0)
        ax.set(title=f"head {head}", xlabel="key (attended to)", ylabel="query")
        ax.set_xticks(range(length), labels)
        ax.set_yticks(range(length), labels)
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.suptitle('Attention weights; "+" positive word, "-" negative word, "." neutral')
    fig.tight_layout()
    return fig


@figure("future-karate-embeddings")
def karate_embeddings():
    """The karate club's nodes at their GCN hidden features (PCA to 2-D), coloured by their true faction."""
    a, x, y = karate_club()
    labelled = [0, 33]  # only the instructor and the officer are labelled
    model = train_gcn(a, x, y, labelled, epochs=30)  # the page's run
    hidden = keras.Model(model.inputs, model.layers[2].output)((x[None], a[None]))
    hidden = keras.ops.convert_to_numpy(hidden)[0]
    centred = hidden - hidden.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    points = centred @ vt[:2].T
    predicted = keras.ops.convert_to_numpy(model((x[None], a[None])))[0].argmax(-1)
    fig = Figure(figsize=(6, 4.6))
    ax = fig.subplots()
    for i, j in zip(*np.nonzero(np.triu(a)), strict=True):
        ax.plot(*points[[i, j]].T, color="0.85", lw=0.6, zorder=0)
    for label, colour, name in ((0, "tab:blue", "Mr. Hi's faction"), (1, "tab:orange", "Officer's faction")):
        ax.scatter(*points[y == label].T, c=colour, s=40, label=name, edgecolors="k", linewidths=0.3)
    wrong = predicted != y
    ax.scatter(*points[wrong].T, s=160, facecolors="none", edgecolors="red", label="misclassified")
    ax.scatter(*points[labelled].T, marker="*", s=260, c="gold", edgecolors="k", label="labelled (2 nodes)")
    ax.set(title="Karate club: GCN hidden features (PCA)", xlabel="component 1", ylabel="component 2")
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


@figure("future-saliency")
def saliency_maps():
    """Four test digits (top) and the saliency of the CNN's predicted class over their pixels (bottom)."""
    model, x_test, y_test = train_digits_cnn()
    maps, predicted = saliency(model, x_test[:4])
    fig = Figure(figsize=(8, 4.4))
    axes = fig.subplots(2, 4)
    for i in range(4):
        axes[0, i].imshow(x_test[i, :, :, 0], cmap="gray_r")
        axes[0, i].set_title(f"label {y_test[i]}, predicted {predicted[i]}", fontsize=9)
        axes[1, i].imshow(maps[i], cmap="hot")
        axes[1, i].set_title("|d p / d pixel|", fontsize=9)
        for ax in axes[:, i]:
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


@figure("future-few-shot")
def few_shot():
    """Test accuracy of nearest prototypes on the digits 5-9 against examples per class."""
    fig = Figure(figsize=(6, 3.6))
    ax = fig.subplots()
    for name, (metric, curve) in digits_few_shot().items():
        ax.plot(list(curve), list(curve.values()), marker="o", lw=2, label=f"{name} ({metric})")
    ax.axhline(0.2, color="0.6", ls="--", lw=1, label="chance (5 classes)")
    ax.set_xscale("log")
    ax.set_xticks([1, 2, 5, 10, 20], ["1", "2", "5", "10", "20"])
    ax.set(xlabel="examples per class of the new digits 5-9", ylabel="test accuracy", ylim=(0, 1),
           title="Few-shot: nearest prototypes, features pretrained on 0-4")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
