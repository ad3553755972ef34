"""Figures of the Deep Learning in Practice pages: training curves and a hyperparameter grid."""

import numpy as np
from matplotlib.figure import Figure

from snippets.plots.registry import figure


@figure("practice_first_network_curves")
def first_network_curves():
    """The article's network trained on digits for 15 epochs (the page's 10, and on to where the curves are
    flat): loss and accuracy, training vs validation."""
    import keras

    from snippets.tf_zoo import build_model
    from snippets.tf_zoo.datasets import digits_arrays

    (x_train, y_train), _ = digits_arrays()
    keras.utils.set_random_seed(0)
    model = build_model("mlp", input_shape=(64,))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=15, validation_split=0.2, verbose=0).history
    epochs = np.arange(1, 16)
    fig = Figure(figsize=(9, 3.4))
    for ax, metric in zip(fig.subplots(1, 2), ("loss", "accuracy"), strict=True):
        ax.plot(epochs, history[metric], "o-", ms=3, label="training")
        ax.plot(epochs, history[f"val_{metric}"], "s-", ms=3, label="validation")
        ax.set(title=metric, xlabel="epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


@figure("practice_grid_search")
def grid_search_heatmap():
    """Validation accuracy of the zoo MLP on digits over learning rate x hidden width (3 epochs each)."""
    from snippets.tf_zoo.datasets import digits_arrays
    from snippets.tf_zoo.models.mlp import build_mlp
    from snippets.tf_zoo.tuning import grid_search

    (x, y), _ = digits_arrays()  # the training set only: 900 to train, 537 to validate
    lrs, widths = [1e-3, 1e-2, 1e-1], [8, 128]  # 6 runs: a few seconds
    results = grid_search(build_mlp, {"lr": lrs, "hidden_units": [(w,) for w in widths], "batch_size": [64]},
                          x[:900], y[:900], x[900:], y[900:], epochs=3)
    acc = np.array([r["val_accuracy"] for r in results]).reshape(len(lrs), len(widths))
    fig = Figure(figsize=(4.2, 3.6))
    ax = fig.subplots()
    image = ax.imshow(acc, cmap="viridis", vmin=0, vmax=1, origin="lower")
    for (i, j), value in np.ndenumerate(acc):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="w" if value < 0.6 else "k")
    ax.set(xticks=range(len(widths)), xticklabels=widths, yticks=range(len(lrs)),
           yticklabels=[f"{lr:g}" for lr in lrs], xlabel="hidden units (one layer)", ylabel="learning rate",
           title="validation accuracy, 3 epochs")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    return fig

