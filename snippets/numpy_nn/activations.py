"""Activation functions and their derivatives, each backward right beside its forward.

Every elementwise activation ``f(x)`` has ``f_backward(dy, x)`` returning dL/dx = dy * f'(x).
Shapes: any; outputs have the shape of ``x``.
"""

# --8<-- [start:checks]
import numbers

import numpy as np


def _check_float(name, x):
    """x as a float array (integers become float64); ValueError otherwise."""
    x = np.asarray(x)
    if x.dtype.kind in "iub":
        x = x.astype(np.float64)
    if x.dtype.kind != "f":
        raise ValueError(
            f"{name} expects real floating-point numbers; "
            f"received dtype {x.dtype}"
        )
    if np.isnan(x).any():
        raise ValueError(
            f"{name} expects numbers, not NaN; "
            f"received {int(np.isnan(x).sum())} NaN"
        )
    return x


def _check_dy(name, dy, x):
    """dy as a finite array of x's shape; ValueError otherwise."""
    dy = np.asarray(dy)
    if dy.shape != x.shape or dy.dtype.kind not in "iubf":
        raise ValueError(
            f"{name} expects a numeric dy of x's shape {x.shape}; "
            f"received shape {dy.shape}, dtype {dy.dtype}"
        )
    if not np.isfinite(dy).all():  # inf times a derivative of 0 is NaN
        raise ValueError(
            f"{name} expects dy without NaN or inf; "
            f"received {int((~np.isfinite(dy)).sum())} NaN or inf"
        )
    return dy


def _check_number(name, what, value):
    """ValueError unless value is a finite real number."""
    if not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(
            f"{name} expects a finite number {what}; received {what}={value!r}"
        )
# --8<-- [end:checks]


# --8<-- [start:step]
def step(x):
    """Heaviside step: 1 where x > 0, else 0, in x's dtype."""
    x = _check_float("step", x)
    return (x > 0).astype(x.dtype)


def step_backward(dy, x):
    """0 everywhere (undefined at 0): no gradient flows through a step."""
    x = _check_float("step_backward", x)
    _check_dy("step_backward", dy, x)  # checked all the same
    return np.zeros_like(x)
# --8<-- [end:step]


# --8<-- [start:relu]
def relu(x):
    """max(0, x), elementwise."""
    x = _check_float("relu", x)
    return np.maximum(x, 0)


def relu_backward(dy, x):
    """dy where x > 0, else 0 (at exactly 0 we take 0, as TensorFlow)."""
    x = _check_float("relu_backward", x)
    dy = _check_dy("relu_backward", dy, x)
    return dy * (x > 0)
# --8<-- [end:relu]


# --8<-- [start:sigmoid]
import numpy as np


def sigmoid(x):
    """1 / (1 + exp(-x)) for any x, without overflow."""
    x = np.asarray(x)
    if x.dtype.kind in "iub":  # integers and booleans become float64
        x = x.astype(np.float64)
    if x.dtype.kind != "f" or np.isnan(x).any():
        raise ValueError(
            f"sigmoid expects real numbers without NaN; received dtype "
            f"{x.dtype}" + (" with NaN" if x.dtype.kind == "f" else "")
        )
    z = np.exp(-np.abs(x))  # exp of a number <= 0: in (0, 1], never inf
    # x >= 0: 1 / (1 + e^-x);  x < 0: e^x / (1 + e^x), the same value
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_backward(dy, x):
    """dy * s * (1 - s) with s = sigmoid(x)."""
    s = sigmoid(x)
    dy = np.asarray(dy)
    bad = dy.dtype.kind == "f" and not np.isfinite(dy).all()
    if dy.shape != s.shape or dy.dtype.kind not in "iubf" or bad:
        raise ValueError(  # inf times a derivative of 0 would be NaN
            f"sigmoid_backward expects a numeric dy of x's shape {s.shape}, "
            f"finite; received shape {dy.shape}, dtype {dy.dtype}"
            + (" with NaN or inf" if bad else "")
        )
    return dy * s * (1 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(x):
    """Hyperbolic tangent, in (-1, 1); np.tanh is stable for any x."""
    x = _check_float("tanh", x)
    return np.tanh(x)


def tanh_backward(dy, x):
    """dy * (1 - tanh(x)^2)."""
    t = tanh(x)
    dy = _check_dy("tanh_backward", dy, t)
    return dy * (1 - t * t)
# --8<-- [end:tanh]


# --8<-- [start:leaky_relu]
def leaky_relu(x, negative_slope=0.2):
    """x for x > 0, negative_slope * x otherwise.

    0.2 is the default of keras.activations.leaky_relu; the Keras layer
    keras.layers.LeakyReLU defaults to 0.3.
    """
    x = _check_float("leaky_relu", x)
    _check_number("leaky_relu", "negative_slope", negative_slope)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_backward(dy, x, negative_slope=0.2):
    """dy where x > 0, negative_slope * dy elsewhere."""
    x = _check_float("leaky_relu_backward", x)
    _check_number("leaky_relu_backward", "negative_slope", negative_slope)
    dy = _check_dy("leaky_relu_backward", dy, x)
    return dy * np.where(x > 0, 1, negative_slope).astype(x.dtype)
# --8<-- [end:leaky_relu]


# --8<-- [start:elu]
def elu(x, alpha=1.0):
    """x for x > 0, alpha * (exp(x) - 1) otherwise.

    exp only sees min(x, 0), so it never overflows.
    """
    x = _check_float("elu", x)
    _check_number("elu", "alpha", alpha)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_backward(dy, x, alpha=1.0):
    """dy where x > 0, dy * alpha * exp(x) elsewhere."""
    x = _check_float("elu_backward", x)
    _check_number("elu_backward", "alpha", alpha)
    dy = _check_dy("elu_backward", dy, x)
    return dy * np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0)))
# --8<-- [end:elu]


# --8<-- [start:gelu]
import math

# NumPy has no erf; math.erf, applied to each element, spares us SciPy.
erf = np.vectorize(math.erf, otypes=[np.float64])
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)  # a Python float keeps float32


def gelu(x, approximate=False):
    """x * Phi(x), Phi the standard normal CDF (Keras' default).

    ``approximate`` uses the tanh formula instead. Beyond |x| = 40,
    GELU is x or 0 to every digit, so x is clipped there: no inf * 0.
    """
    x = _check_float("gelu", x)
    z = np.clip(x, -40, 40)
    if approximate:
        y = 0.5 * z * (1 + np.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z**3)))
    else:
        y = 0.5 * z * (1 + erf(z / math.sqrt(2)))
    return np.where(x > 40, x, y).astype(x.dtype)


def gelu_backward(dy, x, approximate=False):
    """dy * (Phi(x) + x * phi(x)), or the derivative of the tanh form."""
    x = _check_float("gelu_backward", x)
    dy = _check_dy("gelu_backward", dy, x)
    z = np.clip(x, -40, 40)  # the derivative is 1 or 0 beyond
    if approximate:
        t = np.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z**3))
        dz = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * z**2)
        grad = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * dz
    else:
        cdf = 0.5 * (1 + erf(z / math.sqrt(2)))
        pdf = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
        grad = cdf + z * pdf
    return (dy * grad).astype(x.dtype)
# --8<-- [end:gelu]


# --8<-- [start:swish]
def swish(x):
    """x * sigmoid(x) (Keras' ``silu``), with the stable sigmoid."""
    x = _check_float("swish", x)
    # below -1000, x * sigmoid(x) is 0 in any float; the floor
    # turns x = -inf into -1000 * 0 = 0 instead of -inf * 0 = nan
    x = np.maximum(x, -1000)
    return x * sigmoid(x)


def swish_backward(dy, x):
    """dy * s * (1 + x (1 - s)) with s = sigmoid(x)."""
    x = _check_float("swish_backward", x)
    dy = _check_dy("swish_backward", dy, x)
    x = np.clip(x, -1000, 1000)  # the derivative is 0 or 1 beyond
    s = sigmoid(x)
    return dy * s * (1 + x * (1 - s))
# --8<-- [end:swish]


# --8<-- [start:softmax]
import numpy as np


def _shifted(name, x, axis):
    """Checked x minus its max along ``axis``: every entry <= 0.

    A slice holding +inf gives all its probability to its +inf entries
    (the limit), so they become 0 and the rest -inf.
    """
    x = np.asarray(x)
    if x.dtype.kind in "iub":
        x = x.astype(np.float64)
    if x.dtype.kind != "f" or np.isnan(x).any():
        raise ValueError(
            f"{name} expects real numbers without NaN; received dtype "
            f"{x.dtype}" + (" with NaN" if x.dtype.kind == "f" else "")
        )
    has_inf = np.isposinf(x).any(axis=axis, keepdims=True)
    if x.ndim == 0 or x.shape[axis] == 0:
        raise ValueError(
            f"{name} expects at least one value along axis {axis}; "
            f"received shape {x.shape}"
        )
    limit = np.where(np.isposinf(x), 0, -np.inf).astype(x.dtype)
    x = np.where(has_inf, limit, x)
    m = np.max(x, axis=axis, keepdims=True)
    if np.isneginf(m).any():
        raise ValueError(
            f"{name} expects a value above -inf in every slice along "
            f"axis {axis}; received a slice of only -inf"
        )
    with np.errstate(over="ignore"):  # below -max float: -inf, exp gives 0
        return x - m


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``, never overflowing."""
    e = np.exp(_shifted("softmax", x, axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dy, x, axis=-1):
    """s * (dy - sum(dy * s)) along ``axis``, s = softmax(x).

    A Jacobian-vector product: the Jacobian itself is never built.
    """
    s = softmax(x, axis)
    dy = np.asarray(dy)
    bad = dy.dtype.kind == "f" and not np.isfinite(dy).all()
    if dy.shape != s.shape or dy.dtype.kind not in "iubf" or bad:
        raise ValueError(  # an infinite dy would give inf - inf = nan
            f"softmax_backward expects a numeric dy of x's shape {s.shape}, "
            f"finite; received shape {dy.shape}, dtype {dy.dtype}"
            + (" with NaN or inf" if bad else "")
        )
    return s * (dy - np.sum(dy * s, axis=axis, keepdims=True))


def log_softmax(x, axis=-1):
    """x - m - log(sum(exp(x - m))), m = max(x), along ``axis``.

    Finite where softmax itself underflows to 0.
    """
    shifted = _shifted("log_softmax", x, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_backward(dy, x, axis=-1):
    """dy - softmax(x) * sum(dy) along ``axis``."""
    s = softmax(x, axis)
    dy = np.asarray(dy)
    bad = dy.dtype.kind == "f" and not np.isfinite(dy).all()
    if dy.shape != s.shape or dy.dtype.kind not in "iubf" or bad:
        raise ValueError(  # an infinite dy would give inf - inf = nan
            f"log_softmax_backward expects a numeric dy of x's shape "
            f"{s.shape}, finite; received shape {dy.shape}, "
            f"dtype {dy.dtype}"
            + (" with NaN or inf" if bad else "")
        )
    return dy - s * np.sum(dy, axis=axis, keepdims=True)
# --8<-- [end:softmax]
