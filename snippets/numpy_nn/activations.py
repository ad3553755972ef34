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


# --8<-- [start:leaky_relu]
def leaky_relu(x, negative_slope=0.2):
    """x for x > 0, negative_slope * x otherwise (Keras' default slope is 0.2): negative inputs still pass gradient."""
    x = _check_float("leaky_relu", x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_backward(dy, x, negative_slope=0.2):
    """dy where x > 0, negative_slope * dy elsewhere."""
    x = _check_float("leaky_relu_backward", x)
    return dy * np.where(x > 0, 1, negative_slope).astype(x.dtype)
# --8<-- [end:leaky_relu]


# --8<-- [start:elu]
def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) otherwise; exp only sees x <= 0, so it never overflows."""
    x = _check_float("elu", x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_backward(dy, x, alpha=1.0):
    """dy where x > 0, dy * alpha * exp(x) elsewhere."""
    x = _check_float("elu_backward", x)
    return dy * np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0)))
# --8<-- [end:elu]


# --8<-- [start:gelu]
from scipy.special import erf as _erf  # NumPy has no erf; SciPy's is vectorized and exact to float64


def gelu(x, approximate=False):
    """x * Phi(x), Phi the standard normal CDF (Keras' default); ``approximate`` uses the tanh formula."""
    x = _check_float("gelu", x)
    if approximate:
        u = np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)
        return 0.5 * x * (1 + np.tanh(u))
    return (0.5 * x * (1 + _erf(x / np.sqrt(2)))).astype(x.dtype)


def gelu_backward(dy, x, approximate=False):
    """dy * (Phi(x) + x * phi(x)) (or the derivative of the tanh formula)."""
    x = _check_float("gelu_backward", x)
    if approximate:
        c = np.sqrt(2 / np.pi)
        t = np.tanh(c * (x + 0.044715 * x**3))
        return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x**2))
    cdf = 0.5 * (1 + _erf(x / np.sqrt(2)))
    pdf = np.exp(-0.5 * np.square(x, dtype=np.float64)) / np.sqrt(2 * np.pi)  # underflows to 0, never overflows
    return (dy * (cdf + x * pdf)).astype(x.dtype)
# --8<-- [end:gelu]


# --8<-- [start:swish]
def swish(x):
    """x * sigmoid(x) (Keras' ``silu``), using the stable sigmoid above."""
    x = _check_float("swish", x)
    return x * sigmoid(x)


def swish_backward(dy, x):
    """dy * s * (1 + x (1 - s)) with s = sigmoid(x)."""
    x = _check_float("swish_backward", x)
    s = sigmoid(x)
    return dy * s * (1 + x * (1 - s))
# --8<-- [end:swish]


# --8<-- [start:softmax]
def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``; subtracting the max first keeps exp from overflowing."""
    x = _check_float("softmax", x)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dy, x, axis=-1):
    """s * (dy - sum(dy * s)) along ``axis``, s = softmax(x): the Jacobian-vector product, never the Jacobian."""
    s = softmax(x, axis)
    return s * (dy - np.sum(dy * s, axis=axis, keepdims=True))


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along ``axis``: finite even where softmax itself underflows to 0."""
    x = _check_float("log_softmax", x)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_backward(dy, x, axis=-1):
    """dy - softmax(x) * sum(dy) along ``axis``."""
    return dy - softmax(x, axis) * np.sum(dy, axis=axis, keepdims=True)
# --8<-- [end:softmax]
