"""Figures of the fundamentals pages: activations, the perceptron and XOR, a computation graph, learning rates,
and the digits MLP's training curves. Every number drawn is computed here by the snippets' code."""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from snippets.plots.activations import curves_with_derivatives
from snippets.plots.registry import figure

X_GATES = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@figure("fund_activations_more")
def more_activations():
    """Leaky ReLU, ELU, GELU and swish (left) and their derivatives from the backward functions (right)."""
    return curves_with_derivatives(
        ("leaky_relu", "elu", "gelu", "swish"), np.linspace(-4, 4, 401), (-1.5, 4.2), (-0.3, 1.3)
    )


def _xor_network(seed=0, steps=500):
    from snippets.numpy_nn.optimizers import Adam
    from snippets.numpy_nn.two_layer import init_two_layer, two_layer_backward, two_layer_forward

    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    params = init_two_layer(2, 4, np.random.default_rng(seed))
    optimizer = Adam(learning_rate=0.05)
    for _ in range(steps):
        _, cache = two_layer_forward(params, X_GATES, y)
        optimizer.step(params, two_layer_backward(params, cache))

    def predict(x):
        return two_layer_forward(params, x, np.zeros((len(x), 1)))[1]["y_hat"][:, 0]

    return predict


@figure("fund_perceptron_gates")
def perceptron_gates():
    """Perceptron decision boundaries for AND, OR and (failing) XOR, then a two-layer network solving XOR."""
    from snippets.numpy_nn.perceptron import Perceptron

    grid = np.linspace(-0.5, 1.5, 201)
    gx, gy = np.meshgrid(grid, grid)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    fig = Figure(figsize=(12, 3.3))
    axes = fig.subplots(1, 4)
    gates = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}
    panels = []
    for gate, y in gates.items():
        model = Perceptron(learning_rate=0.1, max_epochs=50).fit(X_GATES, np.array(y))
        errors = int((model.predict(X_GATES) != y).sum())
        panels.append((f"perceptron, {gate}: {errors} wrong", model.predict(points), y))
    xor = _xor_network()
    wrong = int(((xor(X_GATES) > 0.5) != np.array(gates["XOR"])).sum())
    panels.append((f"two layers (2-4-1), XOR: {wrong} wrong", (xor(points) > 0.5).astype(int), gates["XOR"]))
    for ax, (title, region, y) in zip(axes, panels, strict=True):
        ax.contourf(gx, gy, region.reshape(gx.shape), levels=[-0.5, 0.5, 1.5], colors=["#f4d6d6", "#d6e4f4"])
        ax.contour(gx, gy, region.reshape(gx.shape), levels=[0.5], colors="0.3", linewidths=1)
        y = np.array(y)
        ax.scatter(*X_GATES[y == 0].T, marker="o", s=80, c="#c0392b", label="target 0")
        ax.scatter(*X_GATES[y == 1].T, marker="s", s=80, c="#2e6da4", label="target 1")
        ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def graph_example():
    """One sample through a 2-2-1 network with fixed weights: every forward value and gradient of the graph."""
    from snippets.numpy_nn.two_layer import two_layer_backward, two_layer_forward

    params = {"W1": np.array([[0.5, -0.3], [0.8, 0.2]]), "b1": np.array([0.1, -0.1]),
              "W2": np.array([[1.2], [-0.7]]), "b2": np.array([0.05])}
    x, y = np.array([[1.0, 0.5]]), np.array([[1.0]])
    loss, cache = two_layer_forward(params, x, y)
    grads = two_layer_backward(params, cache)
    # the gradients of the intermediates, spelled out as in two_layer_backward
    dz = cache["y_hat"] - y
    dh = dz @ params["W2"].T
    da = dh * (1 - cache["h"] ** 2)
    return params, cache, grads, {"L": 1.0, "z": dz, "h": dh, "a": da}, loss


def _fmt(v):
    v = np.asarray(v).ravel()
    return "[" + ", ".join(f"{e:.3f}" for e in v) + "]" if v.size > 1 else f"{v[0]:.3f}"


@figure("fund_computation_graph")
def computation_graph():
    """Boxes for x, a, h, z, y_hat and L with forward values (black) and backward gradients (red)."""
    params, cache, grads, dnodes, loss = graph_example()
    fig = Figure(figsize=(12, 4.2))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 4.2)
    ax.axis("off")
    nodes = [
        ("x", "input x", _fmt(cache["x"]), None),
        ("a", "a = x W1 + b1", _fmt(cache["a"]), _fmt(dnodes["a"])),
        ("h", "h = tanh(a)", _fmt(cache["h"]), _fmt(dnodes["h"])),
        ("z", "z = h W2 + b2", _fmt(cache["z"]), _fmt(dnodes["z"])),
        ("y_hat", "ŷ = σ(z)", _fmt(cache["y_hat"]), None),
        ("L", "L = BCE(y=1, ŷ)", f"{loss:.3f}", "1"),
    ]
    xs = np.linspace(1.0, 11.0, len(nodes))
    for i, (xc, (_, label, value, grad)) in enumerate(zip(xs, nodes, strict=True)):
        ax.add_patch(FancyBboxPatch((xc - 0.8, 1.7), 1.6, 1.0, boxstyle="round,pad=0.05", fc="#eef3fa", ec="0.3"))
        ax.text(xc, 2.45, label, ha="center", va="center", fontsize=9, weight="bold")
        ax.text(xc, 2.0, value, ha="center", va="center", fontsize=8.5)
        if grad is not None:
            name = "L" if label.startswith("L") else label.split(" =")[0]
            ax.text(xc, 1.35, f"∂L/∂{name} = {grad}", ha="center", va="center", fontsize=8, color="#c0392b")
        if i:
            ax.add_patch(FancyArrowPatch((xs[i - 1] + 0.85, 2.3), (xc - 0.85, 2.3), arrowstyle="-|>",
                                         mutation_scale=12, color="0.2"))
            ax.add_patch(FancyArrowPatch((xc - 0.85, 1.9), (xs[i - 1] + 0.85, 1.9), arrowstyle="-|>",
                                         mutation_scale=12, color="#c0392b", ls="--"))
    ax.text(xs[1], 3.35, f"W1 = {_fmt(params['W1'])}\nb1 = {_fmt(params['b1'])}", ha="center", fontsize=8)
    ax.text(xs[3], 3.35, f"W2 = {_fmt(params['W2'])}\nb2 = {_fmt(params['b2'])}", ha="center", fontsize=8)
    ax.text(xs[1], 0.65, f"∂L/∂W1 = {_fmt(grads['W1'])}\n∂L/∂b1 = {_fmt(grads['b1'])}", ha="center",
            fontsize=8, color="#c0392b")
    ax.text(xs[3], 0.65, f"∂L/∂W2 = {_fmt(grads['W2'])}\n∂L/∂b2 = {_fmt(grads['b2'])}", ha="center",
            fontsize=8, color="#c0392b")
    ax.text(6, 3.95, "forward: values (black, left to right)    backward: gradients (red, right to left)",
            ha="center", fontsize=9)
    return fig


def digits_split():
    """Train / validation / test splits of the digits (60 / 20 / 20), the same as the gradient descent page."""
    from sklearn.model_selection import train_test_split

    from snippets.tf_zoo.datasets import digits_arrays  # the site's one digits loader

    (x_rest, y_rest), (x_test, y_test) = digits_arrays(seed=0, test_size=0.2)
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=0.25, random_state=0, stratify=y_rest)
    return x_train, x_val, x_test, y_train, y_val, y_test


@figure("fund_learning_rates")
def learning_rates():
    """Training loss of one small MLP on digits with plain SGD at three learning rates."""
    from snippets.numpy_nn.network import classifier, mlp
    from snippets.numpy_nn.optimizers import SGD

    x_train, _, _, y_train, _, _ = digits_split()
    fig = Figure(figsize=(6.5, 3.6))
    ax = fig.subplots()
    for lr, label in ((0.002, "too small"), (0.2, "about right"), (1.6, "too large")):
        rng = np.random.default_rng(0)
        model = classifier(mlp([64, 32, 10], rng))
        history = model.fit(x_train, y_train, SGD(learning_rate=lr), epochs=30, batch_size=64, rng=rng)
        ax.plot(range(1, 31), history["loss"], marker=".", label=f"lr = {lr} ({label})")
    ax.set(xlabel="epoch", ylabel="training loss (cross-entropy)", yscale="log",
           title="SGD on digits, 64-32-10 MLP, three learning rates")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


@figure("fund_digits_training")
def digits_training():
    """Training and validation loss, and validation accuracy, of the 64-128-64-10 digits MLP with Adam.

    The test split is not touched here: curves are for choosing (epochs, say), which is the validation
    split's job."""
    from snippets.numpy_nn.network import classifier, mlp
    from snippets.numpy_nn.optimizers import Adam

    x_train, x_val, _, y_train, y_val, _ = digits_split()
    rng = np.random.default_rng(0)
    model = classifier(mlp([64, 128, 64, 10], rng))
    history = model.fit(x_train, y_train, Adam(learning_rate=1e-3), epochs=40, batch_size=32, rng=rng,
                        validation_data=(x_val, y_val))
    epochs = range(1, len(history["loss"]) + 1)
    fig = Figure(figsize=(9, 3.4))
    ax_l, ax_a = fig.subplots(1, 2)
    ax_l.plot(epochs, history["loss"], label="training loss")
    ax_l.plot(epochs, history["val_loss"], label="validation loss")
    ax_l.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="Loss")
    ax_a.plot(epochs, history["val_accuracy"], color="C2", label="validation accuracy")
    ax_a.axhline(0.97, color="0.5", ls="--", lw=1, label="97% goal")
    ax_a.set(xlabel="epoch", ylabel="accuracy", ylim=(0.8, 1.0),
             title=f"Validation accuracy (final {history['val_accuracy'][-1]:.3f})")
    for ax in (ax_l, ax_a):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig
