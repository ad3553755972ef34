"""A two-layer network written out by hand, forward and backward, to follow the backpropagation derivation.

x (batch, d_in) -> a = x W1 + b1 -> h = tanh(a) -> z = h W2 + b2 -> y_hat = sigmoid(z) -> L = BCE(y, y_hat).
The one stable sigmoid comes from activations.py (the pages show it above this section).
"""

from snippets.numpy_nn.activations import sigmoid

# isort: split
# --8<-- [start:two_layer]
import numpy as np


def init_two_layer(d_in, num_hiddens, rng):
    """Glorot-uniform weights for d_in -> num_hiddens (tanh) -> 1 (sigmoid).

    Biases start at zero; everything is float64.
    """
    for name, n in (("d_in", d_in), ("num_hiddens", num_hiddens)):
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(
                f"init_two_layer expects a positive integer {name}; "
                f"received {name}={n!r}"
            )
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "init_two_layer expects a np.random.Generator rng; "
            f"received {type(rng).__name__}"
        )
    limit1 = np.sqrt(6 / (d_in + num_hiddens))
    limit2 = np.sqrt(6 / (num_hiddens + 1))
    return {
        "W1": rng.uniform(-limit1, limit1, (d_in, num_hiddens)),
        "b1": np.zeros(num_hiddens),
        "W2": rng.uniform(-limit2, limit2, (num_hiddens, 1)),
        "b2": np.zeros(1),
    }


def two_layer_forward(params, x, y):
    """Forward pass.

    Args:
        params: W1 (d_in, num_hiddens), b1, W2 (num_hiddens, 1), b2.
        x: (batch, d_in); y: (batch, 1) of 0/1 targets.

    Returns:
        (loss, cache): the scalar loss and every intermediate.
    """
    d_in = params["W1"].shape[0]
    x, y = np.asarray(x), np.asarray(y)
    if (x.ndim != 2 or x.shape[1] != d_in or len(x) == 0
            or y.shape != (x.shape[0], 1)):
        raise ValueError(
            f"two_layer_forward expects x of shape (batch, {d_in}), batch "
            f">= 1, and y of shape (batch, 1); received {x.shape} and "
            f"{y.shape}"
        )
    if not np.isfinite(x).all() or not np.all((y >= 0) & (y <= 1)):
        raise ValueError(
            "two_layer_forward expects finite x and targets y in [0, 1]; "
            f"received x in [{x.min()}, {x.max()}], y in [{y.min()}, {y.max()}]"
        )
    a = x @ params["W1"] + params["b1"]
    h = np.tanh(a)
    z = h @ params["W2"] + params["b2"]
    y_hat = sigmoid(z)
    # cross-entropy from the logit z, never log(0):
    # -log(y_hat) = log(1 + e^-z), written max(z, 0) - z y + log(1 + e^-|z|)
    loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    return loss, {"x": x, "y": y, "a": a, "h": h, "z": z, "y_hat": y_hat}


def two_layer_backward(params, cache):
    """Backward pass: the chain rule, one line per edge of the graph.

    Returns:
        Gradients with the keys (and shapes) of params.
    """
    x, y, h, y_hat = cache["x"], cache["y"], cache["h"], cache["y_hat"]
    n = x.shape[0]
    dz = (y_hat - y) / n              # sigmoid + cross-entropy: y_hat - y
    dW2 = h.T @ dz                    # z = h W2 + b2
    db2 = dz.sum(axis=0)
    dh = dz @ params["W2"].T
    da = dh * (1 - h**2)              # h = tanh(a), tanh' = 1 - tanh^2
    dW1 = x.T @ da                    # a = x W1 + b1
    db1 = da.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
# --8<-- [end:two_layer]
