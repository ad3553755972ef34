"""Activation functions and their derivatives, each backward right beside its forward.

Every elementwise activation ``f(x)`` has ``f_backward(dy, x)`` returning dL/dx = dy * f'(x).
Shapes: any; outputs have the shape of ``x``.
"""

# --8<-- [start:check]
import numpy as np


def _check_float(name, x):
    """Return x as a floating array; ValueError for non-numeric or NaN input."""
    x = np.asarray(x)
    if x.dtype.kind in "iub":
        x = x.astype(np.float64)
    if x.dtype.kind != "f":
        raise ValueError(f"{name} expects a real floating-point array; received dtype {x.dtype}")
    if np.isnan(x).any():
        raise ValueError(f"{name} expects finite or infinite numbers; received NaN")
    return x
# --8<-- [end:check]


# --8<-- [start:step]
def step(x):
    """Heaviside step: 1 where x > 0, else 0 (the perceptron's activation). Same dtype as x."""
    x = _check_float("step", x)
    return (x > 0).astype(x.dtype)


def step_backward(dy, x):
    """The step's derivative is 0 almost everywhere, so no gradient flows: why perceptrons can't backprop."""
    x = _check_float("step_backward", x)
    return np.zeros_like(x)
# --8<-- [end:step]


# --8<-- [start:relu]
def relu(x):
    """max(0, x), elementwise."""
    x = _check_float("relu", x)
    return np.maximum(x, 0)


def relu_backward(dy, x):
    """dy where x > 0, else 0 (the derivative at exactly 0 is taken as 0, as in TensorFlow)."""
    x = _check_float("relu_backward", x)
    return dy * (x > 0)
# --8<-- [end:relu]


# --8<-- [start:sigmoid]
def sigmoid(x):
    """1 / (1 + exp(-x)) without overflow: exp is only ever taken of a non-positive number."""
    x = _check_float("sigmoid", x)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_backward(dy, x):
    """dy * s * (1 - s) with s = sigmoid(x)."""
    s = sigmoid(x)
    return dy * s * (1 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(x):
    """Hyperbolic tangent, in (-1, 1) and zero-centred; np.tanh is already stable for any x."""
    x = _check_float("tanh", x)
    return np.tanh(x)


def tanh_backward(dy, x):
    """dy * (1 - tanh(x)^2)."""
    t = tanh(x)
    return dy * (1 - t * t)
# --8<-- [end:tanh]
