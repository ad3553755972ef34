"""Figures of the Future Directions pages: attention weights, karate club embeddings, a saliency map.

Each figure trains a tiny zoo model (seconds on a CPU); the sections marked for pymdownx.snippets are the
same code the pages run.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from snippets.tf_zoo.datasets import sentiment_arrays
from snippets.tf_zoo.models.gcn import build_gcn
from snippets.tf_zoo.models.transformer import PositionEmbedding, build_transformer

# isort: split
# --8<-- [start:train_transformer]
import keras
import numpy as np


def train_transformer(num_samples=800, epochs=6, seed=0):
    """A tiny zoo transformer trained on generated reviews; returns (model, x_test, y_test)."""
    keras.utils.set_random_seed(seed)
    x, y = sentiment_arrays(n=num_samples, sequence_length=20, vocab_size=50, seed=seed)
    split = int(0.8 * len(x))
    model = build_transformer(vocab_size=50, num_classes=2, sequence_length=20, embed_dim=16, num_heads=2,
                              ff_dim=32)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x[:split], y[:split], epochs=epochs, batch_size=32, verbose=0)
    return model, x[split:], y[split:]


def attention_inputs(model, tokens):
    """What the first attention layer sees for int tokens (batch, time): embeddings and the padding mask."""
    position = next(layer for layer in model.layers if isinstance(layer, PositionEmbedding))
    embedded = keras.Model(model.input, position.output)(tokens)
    valid = np.asarray(tokens) != 0
    mask = valid[:, :, None] & valid[:, None, :]  # (batch, query, key): pads neither attend nor are attended
    return keras.ops.convert_to_numpy(embedded), mask
# --8<-- [end:train_transformer]

from matplotlib.figure import Figure

from snippets.plots.registry import figure


@figure("future-attention-weights")
def attention_weights():
    """Heat maps of both heads' attention weights for one generated review, from a trained transformer."""
    model, x_test, _ = train_transformer()
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


# --8<-- [start:karate]
import networkx as nx
import numpy as np


def karate_club():
    """Zachary's karate club as (a, x, y): adjacency (34, 34), one-hot node features, faction labels.

    y is 0 for members who followed the instructor ('Mr. Hi') after the split, 1 for the 'Officer'.
    """
    graph = nx.karate_club_graph()
    a = nx.to_numpy_array(graph, weight=None, dtype=np.float32)  # 0/1 edges, ignoring interaction counts
    y = np.array([graph.nodes[i]["club"] != "Mr. Hi" for i in graph.nodes], dtype=np.int32)
    return a, np.eye(len(a), dtype=np.float32), y
# --8<-- [end:karate]


# --8<-- [start:train_gcn]
import keras
import numpy as np


def train_gcn(a, x, y, labelled, epochs=100, seed=0):
    """Train the zoo GCN on one graph, with the loss on the ``labelled`` nodes only (semi-supervised)."""
    keras.utils.set_random_seed(seed)
    model = build_gcn(num_nodes=len(a), num_features=x.shape[1], num_classes=2, units=(16,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    weight = np.zeros((1, len(a)), dtype=np.float32)
    weight[0, labelled] = 1.0  # every other node's label stays hidden from the loss
    model.fit((x[None], a[None]), y[None], sample_weight=weight, epochs=epochs, verbose=0)
    return model
# --8<-- [end:train_gcn]


@figure("future-karate-embeddings")
def karate_embeddings():
    """The karate club's nodes at their GCN hidden features (PCA to 2-D), coloured by their true faction."""
    a, x, y = karate_club()
    labelled = [0, 33]  # only the instructor and the officer are labelled
    model = train_gcn(a, x, y, labelled)
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


# --8<-- [start:saliency]
import keras
import numpy as np
import tensorflow as tf


def saliency(model, images):
    """|d(top class probability)/d(pixel)|: which pixels the prediction is most sensitive to.

    Args:
        model: a trained classifier mapping images (batch, height, width, channels) to probabilities.
        images: float32 array (batch, height, width, channels).

    Returns:
        (maps, predicted): maps (batch, height, width), predicted int classes (batch,).
    """
    x = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        probabilities = model(x, training=False)
        predicted = tf.argmax(probabilities, axis=-1)
        top = tf.gather(probabilities, predicted, axis=1, batch_dims=1)
    gradient = tape.gradient(top, x)
    return np.abs(gradient.numpy()).max(axis=-1), predicted.numpy()
# --8<-- [end:saliency]


from snippets.plots.cnn import train_digits_cnn  # noqa: E402  (the CNN page's training run, shared)


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
