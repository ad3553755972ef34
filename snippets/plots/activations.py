"""Figures of the activation functions page."""

import numpy as np
from matplotlib.figure import Figure

from snippets.numpy_nn import activations as act
from snippets.plots.registry import figure


@figure("activations")
def activation_curves():
    """Sigmoid, tanh and ReLU (left) and their derivatives from the backward functions (right)."""
    x = np.linspace(-5, 5, 401)
    ones = np.ones_like(x)
    fig = Figure(figsize=(9, 3.4))
    ax_f, ax_d = fig.subplots(1, 2)
    for name in ("sigmoid", "tanh", "relu"):
        ax_f.plot(x, getattr(act, name)(x), label=name)
        ax_d.plot(x, getattr(act, f"{name}_backward")(ones, x), label=f"{name}'")
    ax_f.set(title="Activation f(x)", xlabel="x", ylim=(-1.2, 2.2))
    ax_d.set(title="Derivative f'(x), from the backward pass", xlabel="x", ylim=(-0.1, 1.2))
    for ax in (ax_f, ax_d):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
