"""Figures of the Common Challenges pages: overfitting and its remedies, gradient norms, clipping."""

import numpy as np
from matplotlib.figure import Figure

from snippets.plots.registry import figure

REMEDIES = ("none", "dropout", "augmentation")  # the two that change the curves most, and the baseline


def overfitting_histories():
    """The overfitting page's experiment (its default sizes): 150 digits to train on, 360 to validate."""
    from snippets.tf_zoo.datasets import digits_arrays
    from snippets.tf_zoo.regularization import compare_remedies

    (x, y), (x_val, y_val) = digits_arrays()
    return compare_remedies(x[:150], y[:150], x_val, y_val, REMEDIES)


@figure("challenges_overfitting_remedies")
def overfitting_remedies():
    """Training vs validation accuracy per epoch, one panel per remedy; the shaded area is the gap."""
    histories = overfitting_histories()
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, len(histories), sharey=True)
    for ax, (name, h) in zip(axes, histories.items(), strict=True):
        epochs = np.arange(1, len(h["accuracy"]) + 1)
        ax.plot(epochs, h["accuracy"], label="training")
        ax.plot(epochs, h["val_accuracy"], label="validation")
        ax.fill_between(epochs, h["val_accuracy"], h["accuracy"], alpha=0.15, color="C3")
        ax.set(title="no remedy" if name == "none" else name, ylim=(0.2, 1.01), xlabel="epoch")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    return fig


GRADIENT_VARIANTS = {  # label -> deep_mlp keyword arguments
    "sigmoid, Glorot init": {},
    "ReLU, He init": {"activation": "relu", "initializer": "he_normal"},
    "sigmoid + batch norm": {"batch_norm": True},
    "sigmoid + residual": {"residual": True},
    "ReLU, N(0, 0.4) init": {"activation": "relu", "initializer": "random_normal_0.4"},
}


def gradient_norms():
    """``{label: per-layer gradient norms}`` of 20-layer networks on 256 digits, for ``GRADIENT_VARIANTS``."""
    import keras

    from snippets.tf_zoo.datasets import digits_arrays
    from snippets.tf_zoo.gradients import deep_mlp, layer_gradient_norms

    (x, y), _ = digits_arrays()
    norms = {}
    for label, config in GRADIENT_VARIANTS.items():
        config = dict(config)
        if config.get("initializer") == "random_normal_0.4":
            config["initializer"] = keras.initializers.RandomNormal(stddev=0.4, seed=0)
        keras.utils.set_random_seed(0)
        norms[label] = layer_gradient_norms(deep_mlp(**config), x[:256], y[:256])
    return norms


@figure("challenges_gradient_norms")
def gradient_norm_profile():
    """Gradient norm of each layer's kernel (log scale) for the five 20-layer networks."""
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    for label, norms in gradient_norms().items():
        ax.semilogy(np.arange(1, len(norms) + 1), norms, "o-", ms=3, label=label)
    ax.set(xlabel="layer (1 = next to the input)", ylabel="‖∂L/∂W‖ (log scale)",
           title="Per-layer gradient norms at initialization, 20 layers")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("challenges_gradient_clipping")
def gradient_clipping():
    """SGD training loss of the exploding network with and without clipping the gradients' global norm."""
    import keras

    from snippets.tf_zoo.datasets import digits_arrays
    from snippets.tf_zoo.gradients import clipped_losses, deep_mlp

    (x, y), _ = digits_arrays()
    fig = Figure(figsize=(7, 3.6))
    ax = fig.subplots()
    for clipnorm in (None, 1.0):
        keras.utils.set_random_seed(0)
        model = deep_mlp(activation="relu", initializer=keras.initializers.RandomNormal(stddev=0.4, seed=0))
        losses = clipped_losses(model, x[:256], y[:256], steps=30, lr=0.01, clipnorm=clipnorm)
        label = "no clipping" if clipnorm is None else f"global_clipnorm={clipnorm}"
        ax.semilogy(np.arange(1, len(losses) + 1), losses, "o-", ms=3, label=label)
    ax.set(xlabel="SGD step", ylabel="training loss (log scale)", title="Exploding gradients and clipping")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    return fig
