"""Figures of the recurrent-networks page: the unrolled RNN, LSTM and GRU cells, and gradients fading over time."""

import keras
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from snippets.numpy_nn.gradient_flow import gradient_norms, keras_weights
from snippets.numpy_nn.recurrent import gru, gru_backward, lstm, lstm_backward, simple_rnn, simple_rnn_backward
from snippets.plots.registry import figure
from snippets.tf_zoo.memory_task import accuracy_by_lag, recall_data, train_recall


@figure("rnn-gradient-decay")
def gradient_decay():
    fig = Figure(figsize=(7, 3.6))
    ax = fig.add_subplot()
    lstm_weights = keras_weights(keras.layers.LSTM)
    lstm_weights[2][32:64] = 3.0  # the forget gate's block of the bias, set by hand
    curves = [("SimpleRNN", simple_rnn, simple_rnn_backward, keras_weights(keras.layers.SimpleRNN)),
              ("GRU", gru, gru_backward, keras_weights(keras.layers.GRU)),
              ("LSTM (Keras' forget bias 1)", lstm, lstm_backward, keras_weights(keras.layers.LSTM)),
              ("LSTM, forget bias set to 3", lstm, lstm_backward, lstm_weights)]
    for label, forward, backward, weights in curves:
        norms = gradient_norms(forward, backward, weights)
        ax.semilogy(np.arange(len(norms)), norms, label=label, lw=2)
    ax.set_xlabel("time step t of the input (the loss is on step 49)")
    ax.set_ylabel("mean ‖∂L/∂x_t‖ (log scale)")
    ax.set_title("Gradients fade as they travel back through time")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _box(ax, x, y, text, color="#c5cae9", w=0.9, h=0.5, fontsize=10):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", fc=color, ec="#283593"))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _op(ax, x, y, text):
    ax.add_patch(Circle((x, y), 0.22, fc="#fff3e0", ec="#e65100"))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, color="#37474f", style="-|>", **kwargs):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": style, "color": color, "lw": 1.4, **kwargs})


def _canvas(size, xlim, ylim):
    fig = Figure(figsize=size)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


@figure("rnn-unrolled")
def unrolled():
    fig, ax = _canvas((9, 3.2), (-0.8, 10.2), (-0.6, 3.2))
    # Folded: one cell whose output feeds back into itself
    _box(ax, 0.3, 1.5, "RNN\ncell", w=1.0, h=0.8)
    _arrow(ax, (0.3, 0.3), (0.3, 1.1))
    _arrow(ax, (0.3, 1.9), (0.3, 2.7))
    ax.text(0.3, 0.15, "$x_t$", ha="center", va="top")
    ax.text(0.3, 2.8, "$h_t$", ha="center", va="bottom")
    _arrow(ax, (0.8, 1.7), (0.8, 1.3), connectionstyle="arc3,rad=-2.2")
    ax.text(1.5, 1.5, "=", fontsize=22, ha="center", va="center")
    # Unrolled: the same cell (same W, U, b) once per time step
    for t in range(4):
        cx = 3 + 2 * t
        _box(ax, cx, 1.5, "same\nW, U, b", w=1.1, h=0.8, fontsize=8)
        _arrow(ax, (cx, 0.3), (cx, 1.1))
        _arrow(ax, (cx, 1.9), (cx, 2.7))
        ax.text(cx, 0.15, f"$x_{t + 1}$", ha="center", va="top")
        ax.text(cx, 2.8, f"$h_{t + 1}$", ha="center", va="bottom")
        _arrow(ax, (cx - 1.35, 1.5), (cx - 0.55, 1.5))
        ax.text(cx - 0.95, 1.6, f"$h_{t}$" if t else "$h_0{=}0$", ha="center", va="bottom", fontsize=8)
    _arrow(ax, (9.55, 1.5), (10.1, 1.5))
    ax.text(6, -0.35, "backpropagation through time follows these arrows backwards, through U at every step",
            ha="center", va="top", fontsize=8, color="#b71c1c")
    return fig


@figure("rnn-lstm-cell")
def lstm_cell():
    fig, ax = _canvas((8, 4.2), (-0.5, 9.5), (-0.6, 4.4))
    ax.text(-0.3, 3.5, "$c_{t-1}$", ha="right", va="center")
    ax.text(-0.3, 0.6, "$h_{t-1}$", ha="right", va="center")
    ax.text(2.0, -0.45, "$x_t$", ha="center", va="top")
    _arrow(ax, (-0.2, 3.5), (2.28, 3.5))  # the cell state's highway
    _op(ax, 2.5, 3.5, "×")
    _arrow(ax, (2.72, 3.5), (4.78, 3.5))
    _op(ax, 5.0, 3.5, "+")
    _arrow(ax, (5.22, 3.5), (9.3, 3.5))
    ax.text(9.3, 3.65, "$c_t$", ha="right", va="bottom")
    ax.plot([-0.2, 2.0, 2.0], [0.6, 0.6, -0.3], color="#37474f", lw=1.4)  # h_{t-1} joins x_t
    gates = [(1.3, "σ", "forget f"), (3.3, "σ", "input i"), (4.6, "tanh", "candidate c~"), (6.4, "σ", "output o")]
    for gx, act, name in gates:
        ax.plot([gx, gx], [0.6, 1.05], color="#37474f", lw=1.4)
        _box(ax, gx, 1.3, act, w=0.8, h=0.45)
        ax.text(gx, 0.85, name, ha="center", va="top", fontsize=7)
    ax.plot([-0.2 + 0.2, 6.4], [0.6, 0.6], color="#37474f", lw=1.4)
    _arrow(ax, (1.3, 1.55), (2.5, 3.28), connectionstyle="angle,angleA=90,angleB=0")
    _op(ax, 4.3, 2.3, "×")
    _arrow(ax, (3.3, 1.55), (4.1, 2.2))
    _arrow(ax, (4.6, 1.55), (4.4, 2.08))
    _arrow(ax, (4.3, 2.52), (4.85, 3.32))
    _box(ax, 7.3, 2.5, "tanh", w=0.8, h=0.45, color="#ffe0b2")
    _arrow(ax, (6.5, 3.5), (7.3, 2.75), connectionstyle="angle,angleA=0,angleB=90")
    _op(ax, 7.3, 1.3, "×")
    _arrow(ax, (6.8, 1.3), (7.08, 1.3))
    _arrow(ax, (7.3, 2.27), (7.3, 1.52))
    _arrow(ax, (7.52, 1.3), (9.3, 1.3))
    ax.text(9.3, 1.45, "$h_t$", ha="right", va="bottom")
    ax.text(4.5, 4.15, "cell state: only scaled by f and added to, so its gradient is not squashed",
            ha="center", fontsize=8, color="#b71c1c")
    return fig


@figure("rnn-gru-cell")
def gru_cell():
    fig, ax = _canvas((8, 4.2), (-0.5, 9.5), (-0.6, 4.4))
    ax.text(-0.3, 3.5, "$h_{t-1}$", ha="right", va="center")
    ax.text(2.0, -0.45, "$x_t$", ha="center", va="top")
    _arrow(ax, (-0.2, 3.5), (5.78, 3.5))
    _op(ax, 6.0, 3.5, "×")
    _arrow(ax, (6.22, 3.5), (7.28, 3.5))
    _op(ax, 7.5, 3.5, "+")
    _arrow(ax, (7.72, 3.5), (9.3, 3.5))
    ax.text(9.3, 3.65, "$h_t$", ha="right", va="bottom")
    ax.plot([0.3, 0.3, 5.3], [3.5, 0.6, 0.6], color="#37474f", lw=1.4)  # h_{t-1} down to the gates
    ax.plot([2.0, 2.0], [-0.3, 0.6], color="#37474f", lw=1.4)
    for gx, act, name in [(1.4, "σ", "update z"), (3.0, "σ", "reset r"), (5.3, "tanh", "candidate h~")]:
        ax.plot([gx, gx], [0.6, 1.05], color="#37474f", lw=1.4)
        _box(ax, gx, 1.3, act, w=0.8, h=0.45)
        ax.text(gx, 0.85, name, ha="center", va="top", fontsize=7)
    _arrow(ax, (1.4, 1.55), (5.85, 3.33), connectionstyle="angle,angleA=90,angleB=0")
    ax.text(1.55, 2.6, "z", fontsize=9)
    _arrow(ax, (6.0, 2.95), (7.3, 2.45))  # the same z feeds 1 - z
    _op(ax, 4.2, 1.95, "×")
    _arrow(ax, (3.0, 1.55), (4.0, 1.88))
    ax.text(4.2, 2.3, "r · (h U)", ha="center", fontsize=7)
    _arrow(ax, (4.42, 1.9), (5.1, 1.5))
    _box(ax, 7.5, 2.2, "1 − z", w=0.8, h=0.45, color="#ffe0b2")
    _op(ax, 6.6, 1.3, "×")
    _arrow(ax, (5.7, 1.3), (6.38, 1.3))
    _arrow(ax, (7.5, 1.97), (6.75, 1.45))
    _arrow(ax, (6.8, 1.4), (7.4, 3.28))
    ax.text(4.5, 4.15, "h_t = z · h_{t-1} + (1 − z) · h~: with z near 1 the state is copied forward unchanged",
            ha="center", fontsize=8, color="#b71c1c")
    return fig


@figure("rnn-recall-by-lag")
def recall_by_lag():
    """Validation accuracy of the three Keras recurrent layers on the recall task, by lag (the page's run)."""
    x_train, y_train, _ = recall_data(2000, seed=0)
    x_val, y_val, lag_val = recall_data(1000, seed=1)
    bins = [1, 6, 11, 21, 31, 41]
    centres = [3, 8, 15.5, 25.5, 35.5]
    fig = Figure(figsize=(7, 3.6))
    ax = fig.add_subplot()
    styles = {"SimpleRNN": {"marker": "o"}, "LSTM": {"marker": "s", "ms": 9, "lw": 4, "alpha": 0.6},
              "GRU": {"marker": "^", "ls": "--"}}  # LSTM and GRU overlap: a wide line under a dashed one
    for name, style in styles.items():
        model = train_recall(getattr(keras.layers, name), x_train, y_train)
        accuracy = accuracy_by_lag(model, x_val, y_val, lag_val, bins)
        ax.plot(centres, accuracy, label=name, **{"lw": 2, **style})
    ax.axhline(0.25, color="0.6", ls="--", lw=1, label="chance (4 tokens)")
    ax.set(xlabel="lag: steps between the token and the question", ylabel="validation accuracy", ylim=(0, 1.05),
           title="Recalling a token through distractors")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return fig
