"""Overfitting noisy labels with a NumPy MLP, and L2 and dropout curing it (the overfitting page's experiment)."""

# --8<-- [start:noisy_labels]
import numpy as np


def noisy_labels(y, fraction, num_classes=10, seed=0):
    """A copy of ``y`` with a random ``fraction`` of its labels replaced by
    labels drawn uniformly from ``range(num_classes)``.

    Args:
        y: ``(batch,)`` int labels; fraction: in [0, 1].

    Returns:
        ``(batch,)`` int labels (about ``fraction * 0.9`` of them wrong for
        ten classes: a redrawn label can be the right one again).
    """
    if not 0 <= fraction <= 1:
        raise ValueError(
            f"noisy_labels expects fraction in [0, 1]; received {fraction!r}")
    y = np.array(y)
    if y.ndim != 1 or y.dtype.kind not in "iuf" or not np.isfinite(y).all():
        raise ValueError("noisy_labels expects finite int labels y of shape "
                         f"(batch,); received shape {y.shape}, dtype "
                         f"{y.dtype} (NaN and inf are refused)")
    if not (isinstance(num_classes, int | np.integer) and num_classes >= 1):
        raise ValueError("noisy_labels expects num_classes an int >= 1; "
                         f"received {num_classes!r}")
    rng = np.random.default_rng(seed)
    redraw = rng.random(len(y)) < fraction
    y[redraw] = rng.integers(0, num_classes, int(redraw.sum()))
    return y
# --8<-- [end:noisy_labels]


# --8<-- [start:train_mlp]
import numpy as np


def train_mlp(x, y, l2=0.0, rate=0.0, units=128, steps=500, lr=0.5, seed=0):
    """Full-batch gradient descent on a ReLU network with one hidden layer,
    with an L2 penalty and dropout on the hidden layer (``Dropout`` above).

    Args:
        x: ``(batch, features)`` inputs; y: ``(batch,)`` int labels.
        l2: strength of the penalty ``l2 * sum(W ** 2)`` on both kernels.
        rate: dropout rate of the hidden layer (0: no dropout).
        units, steps, lr, seed: hidden width, number of steps, learning
            rate, seed of the weights and the dropout masks.

    Returns:
        ``{"W1", "b1", "W2", "b2"}``: the trained parameters.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y)
    if x.ndim != 2 or y.shape != (len(x),) or not l2 >= 0:
        raise ValueError(
            "train_mlp expects x of shape (batch, features), y of shape "
            f"(batch,) and l2 >= 0; received x of shape {x.shape}, y of "
            f"shape {y.shape}, l2={l2!r}")
    rng = np.random.default_rng(seed)
    num_features, num_classes = x.shape[1], int(y.max()) + 1
    p = {"W1": rng.normal(0, np.sqrt(2 / num_features), (num_features, units)),
         "b1": np.zeros(units),
         "W2": rng.normal(0, np.sqrt(1 / units), (units, num_classes)),
         "b2": np.zeros(num_classes)}
    dropout = Dropout(rate, rng)
    one_hot = np.eye(num_classes)[y]
    for _ in range(steps):
        z = x @ p["W1"] + p["b1"]
        h = dropout.forward(np.maximum(z, 0), training=True)
        logits = h @ p["W2"] + p["b2"]
        y_hat = np.exp(logits - logits.max(axis=1, keepdims=True))
        y_hat /= y_hat.sum(axis=1, keepdims=True)
        dlogits = (y_hat - one_hot) / len(x)  # softmax + cross-entropy
        dz = dropout.backward(dlogits @ p["W2"].T) * (z > 0)
        grads = {"W1": x.T @ dz + 2 * l2 * p["W1"], "b1": dz.sum(axis=0),
                 "W2": h.T @ dlogits + 2 * l2 * p["W2"],
                 "b2": dlogits.sum(axis=0)}
        for k in p:
            p[k] -= lr * grads[k]
    return p


def accuracy(p, x, y):
    """Fraction of ``x``'s examples whose predicted class is ``y``
    (inference: no dropout)."""
    logits = np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    return float(np.mean(logits.argmax(axis=1) == y))


def sweep(x, y, x_val, y_val, name, values, **kwargs):
    """Train once per value of the argument ``name`` (``"l2"`` or
    ``"rate"``) of ``train_mlp``, the other arguments in ``kwargs``.

    Returns:
        ``{value: (training accuracy, validation accuracy)}``.
    """
    results = {}
    for value in values:
        p = train_mlp(x, y, **{name: value}, **kwargs)
        results[value] = (accuracy(p, x, y), accuracy(p, x_val, y_val))
    return results
# --8<-- [end:train_mlp]

# The page shows Dropout (snippets/numpy_nn/regularization.py:dropout) above train_mlp; imported here, outside
# the sections, so that the module runs on its own.
from snippets.numpy_nn.regularization import Dropout  # noqa: E402
