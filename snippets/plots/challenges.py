"""Figures of the Common Challenges pages: overfitting and its remedies, gradient norms, activations, clipping.

Only drawing lives here; the training and measuring code is in ``snippets.tf_zoo.regularization``,
``snippets.numpy_nn.overfitting`` and ``snippets.tf_zoo.gradients``, where the pages include it from.
"""

import numpy as np
from matplotlib.figure import Figure

from snippets.plots.registry import figure

REMEDIES = ("none", "dropout", "augmentation")  # the two that change the curves most, and the baseline


def _splits():
    """The overfitting page's splits: 150 training digits, 360 validation digits held out from training."""
    from snippets.tf_zoo.datasets import digits_arrays

    (x, y), _ = digits_arrays()
    return (x[:150], y[:150]), (x[-360:], y[-360:])


@figure("challenges_overfitting_remedies")
def overfitting_remedies():
    """Training vs validation accuracy per epoch, one panel per remedy; the shaded area is the gap."""
    from snippets.tf_zoo.regularization import train_variant

    (x, y), (x_val, y_val) = _splits()
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, len(REMEDIES), sharey=True)
    for ax, name in zip(axes, REMEDIES, strict=True):
        _, h = train_variant(name, x, y, x_val, y_val)
        epochs = np.arange(1, len(h["accuracy"]) + 1)
        ax.plot(epochs, h["accuracy"], label="training")
        ax.plot(epochs, h["val_accuracy"], label="validation")
        ax.fill_between(epochs, h["val_accuracy"], h["accuracy"], alpha=0.15, color="C3")
        ax.set(title="no remedy" if name == "none" else name, ylim=(0.2, 1.01), xlabel="epoch")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    return fig


L2_VALUES = (0, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)  # the overfitting page's sweep
RATES = (0, 0.5, 0.8, 0.9)


@figure("challenges_regularization_sweep")
def regularization_sweep():
    """Training and validation accuracy on 200 digits with 30% noisy labels against the L2 strength and
    the dropout rate (NumPy MLP of the overfitting page)."""
    from snippets.numpy_nn.overfitting import noisy_labels, sweep
    from snippets.tf_zoo.datasets import digits_arrays

    (x_all, y_all), _ = digits_arrays()
    x, y = x_all[:200], noisy_labels(y_all[:200], 0.3)
    x_val, y_val = x_all[-360:], y_all[-360:]
    fig = Figure(figsize=(9, 3.4))
    ax_l2, ax_rate = fig.subplots(1, 2, sharey=True)
    l2 = sweep(x, y, x_val, y_val, "l2", L2_VALUES)
    strengths = [v for v in L2_VALUES if v > 0]
    for i, label in enumerate(("training", "validation")):
        ax_l2.semilogx(strengths, [l2[v][i] for v in strengths], "o-", color=f"C{i}", label=label)
        ax_l2.axhline(l2[0][i], color=f"C{i}", ls=":", lw=1)
    ax_l2.set(xlabel="L2 strength λ (dotted: no penalty)", ylabel="accuracy", ylim=(0, 1.02),
              title="L2 penalty")
    rates = {0: l2[0], **sweep(x, y, x_val, y_val, "rate", RATES[1:])}  # rate 0 is the network without L2
    for i, label in enumerate(("training", "validation")):
        ax_rate.plot(RATES, [rates[r][i] for r in RATES], "o-", color=f"C{i}", label=label)
    ax_rate.set(xlabel="dropout rate of the hidden layer", title="dropout")
    for ax in (ax_l2, ax_rate):
        ax.grid(alpha=0.3)
    ax_l2.legend(loc="lower left")
    fig.suptitle("200 training digits, 30% of their labels random; 360 clean validation digits")
    fig.tight_layout()
    return fig


def _gradient_data():
    from snippets.tf_zoo.datasets import digits_arrays

    (x, y), _ = digits_arrays()
    return x[:256], y[:256]


@figure("challenges_gradient_norms")
def gradient_norm_profile():
    """Gradient norm of each layer's kernel (log scale) for the five 20-layer networks."""
    from snippets.tf_zoo.gradients import variant_gradient_norms

    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    for label, norms in variant_gradient_norms(*_gradient_data()).items():
        ax.semilogy(np.arange(1, len(norms) + 1), norms, "o-", ms=3, label=label)
    ax.set(xlabel="layer (1 = next to the input)", ylabel="‖∂L/∂W‖ (log scale)",
           title="Per-layer gradient norms at initialization, 20 layers")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


HISTOGRAM_VARIANTS = {  # label -> deep_mlp keyword arguments
    "sigmoid, Glorot init": {},
    "sigmoid + batch norm": {"batch_norm": True},
    "ReLU, He init": {"activation": "relu", "initializer": "he_normal"},
    "ReLU, N(0, 0.4) init": {"activation": "relu", "initializer": 0.4},
}
HISTOGRAM_LAYERS = (1, 5, 10, 20)


@figure("challenges_activation_histograms")
def activation_histograms():
    """Histograms of the hidden activations of layers 1, 5, 10 and 20 of four 20-layer networks, each unit's
    value minus its mean over the batch (what tells the examples apart), on one x range per row."""
    import keras

    from snippets.tf_zoo.gradients import deep_mlp, layer_outputs

    x, _ = _gradient_data()
    fig = Figure(figsize=(10, 7.2))
    axes = fig.subplots(len(HISTOGRAM_VARIANTS), len(HISTOGRAM_LAYERS))
    for row, (label, config) in zip(axes, HISTOGRAM_VARIANTS.items(), strict=True):
        keras.utils.set_random_seed(0)
        outputs = layer_outputs(deep_mlp(**config), x)
        spread = {layer: outputs[layer - 1] - outputs[layer - 1].mean(axis=0) for layer in HISTOGRAM_LAYERS}
        width = max(float(np.percentile(np.abs(d), 99.5)) for d in spread.values())
        for ax, (layer, d) in zip(row, spread.items(), strict=True):
            # one filled outline per histogram, not 41 bars: the same picture, much less to lay out and write
            ax.hist(d.ravel(), bins=41, range=(-width, width), color="C0", histtype="stepfilled")
            ax.set_yticks([])
            ax.set_title(f"layer {layer}: std {d.std(axis=0).mean():.2g}", fontsize=9)
        row[0].set_ylabel(label, fontsize=9)
    fig.suptitle("Hidden activations at initialization on 256 digits, minus each unit's mean over them")
    fig.tight_layout()
    return fig


@figure("challenges_gradient_clipping")
def gradient_clipping():
    """SGD training loss of the exploding network with and without clipping, beside a He-initialized one."""
    import keras

    from snippets.tf_zoo.gradients import clipped_losses, deep_mlp

    x, y = _gradient_data()
    fig = Figure(figsize=(7, 3.6))
    ax = fig.subplots()
    runs = {"N(0, 0.4), no clipping": (0.4, None), "N(0, 0.4), global_clipnorm=1": (0.4, 1.0),
            "He init, no clipping": ("he_normal", None)}
    for label, (initializer, clipnorm) in runs.items():
        keras.utils.set_random_seed(0)
        model = deep_mlp(activation="relu", initializer=initializer)
        losses = clipped_losses(model, x, y, steps=30, lr=0.01, clipnorm=clipnorm)
        ax.semilogy(np.arange(1, len(losses) + 1), losses, "o-", ms=3, label=label)
    ax.axhline(np.log(10), color="gray", ls=":", lw=1, label="ln 10 (uniform guess)")
    ax.set(xlabel="SGD step", ylabel="training loss (log scale)", title="Exploding gradients and clipping")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
