"""Figures of the activation functions page."""

import numpy as np
from matplotlib.figure import Figure

from snippets.numpy_nn import activations as act
from snippets.plots.registry import figure


def curves_with_derivatives(names, x, f_ylim, d_ylim):
    """Each activation in ``names`` (left) and its derivative from its backward function (right), over ``x``."""
    ones = np.ones_like(x)
    fig = Figure(figsize=(9, 3.4))
    ax_f, ax_d = fig.subplots(1, 2)
    for name in names:
        ax_f.plot(x, getattr(act, name)(x), label=name)
        ax_d.plot(x, getattr(act, f"{name}_backward")(ones, x), label=f"{name}'")
    ax_f.set(title="Activation f(x)", xlabel="x", ylim=f_ylim)
    ax_d.set(title="Derivative f'(x), from the backward pass", xlabel="x", ylim=d_ylim)
    for ax in (ax_f, ax_d):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


@figure("activations")
def activation_curves():
    """Sigmoid, tanh and ReLU (left) and their derivatives from the backward functions (right)."""
    return curves_with_derivatives(("sigmoid", "tanh", "relu"), np.linspace(-5, 5, 401), (-1.2, 2.2), (-0.1, 1.2))
