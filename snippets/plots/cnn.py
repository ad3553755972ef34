"""Figures of the CNN page and the first-CNN tutorial, drawn from the zoo CNN that
``snippets/tf_zoo/digits_cnn.py`` trains on scikit-learn's 8x8 digits: its learned filters, its feature maps
(computed by the NumPy ``conv2d``) and its confusion matrix. Drawing only: no training or data code here."""

import numpy as np
from matplotlib.figure import Figure

from snippets.plots.registry import figure
from snippets.tf_zoo.digits_cnn import train_digits_cnn  # the one training run the figures share


@figure("cnn-learned-filters")
def learned_filters():
    model, _, _ = train_digits_cnn()
    kernel = model.layers[1].get_weights()[0]  # (3, 3, 1, 16), HWIO
    fig = Figure(figsize=(8, 2.3))
    limit = np.abs(kernel).max()
    for i in range(kernel.shape[-1]):
        ax = fig.add_subplot(2, 8, i + 1)
        image = ax.imshow(kernel[:, :, 0, i], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"filter {i}", fontsize=7)
    fig.colorbar(image, ax=fig.axes, shrink=0.8, label="weight")
    fig.suptitle("The 16 learned 3×3 filters of the first convolutional layer", fontsize=10)
    return fig


@figure("cnn-feature-maps")
def feature_maps():
    from snippets.numpy_nn.conv import conv2d

    model, x_test, y_test = train_digits_cnn()
    kernel, bias = model.layers[1].get_weights()
    image = x_test[:1]
    maps = np.maximum(conv2d(image, kernel, padding="same") + bias, 0)  # the layer's ReLU(conv + b), in NumPy
    fig = Figure(figsize=(8, 2.6))
    ax = fig.add_subplot(2, 9, 1)
    ax.imshow(image[0, :, :, 0], cmap="gray_r")
    ax.set_title(f"input: a {y_test[0]}", fontsize=7)
    ax.axis("off")
    for i in range(maps.shape[-1]):
        ax = fig.add_subplot(2, 9, i + 2 + (i >= 8))
        ax.imshow(maps[0, :, :, i], cmap="magma", vmin=0)
        ax.set_title(f"map {i}", fontsize=7)
        ax.axis("off")
    fig.suptitle("One test digit and its 16 feature maps after the first Conv2D + ReLU", fontsize=10)
    return fig


@figure("first-cnn-confusion-matrix")
def confusion_matrix():
    model, x_test, y_test = train_digits_cnn()
    y_pred = model.predict(x_test, verbose=0).argmax(axis=1)
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (y_test, y_pred), 1)
    fig = Figure(figsize=(5, 4.4))
    ax = fig.add_subplot()
    ax.imshow(counts, cmap="Blues")
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                    color="white" if n > counts.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(f"Test set: {np.trace(counts)} of {counts.sum()} right", fontsize=10)
    return fig
