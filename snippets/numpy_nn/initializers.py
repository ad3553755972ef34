"""Weight initializers with Keras' names and scales; each draws from an explicit ``rng``."""

# --8<-- [start:initializers]
import numpy as np


def _fans(shape, dtype):
    """(fan_in, fan_out) as Keras computes them: a kernel (..., d_in, d_out)
    has a receptive field of prod(...)."""
    sizes = isinstance(shape, (tuple, list)) and all(
        isinstance(d, (int, np.integer)) and d > 0 for d in shape)
    if not sizes or len(shape) < 2:
        raise ValueError(
            "initializers expect a kernel shape of positive integers with "
            f"at least 2 axes; received {shape!r}"
        )
    if np.dtype(dtype).kind != "f":
        raise ValueError(
            "initializers expect a floating-point dtype; "
            f"received dtype {np.dtype(dtype)}"
        )
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def glorot_uniform(shape, rng, dtype=np.float32):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)): keeps the
    variance of activations for tanh and linear layers."""
    fan_in, fan_out = _fans(shape, dtype)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"glorot_uniform expects a np.random.Generator rng; "
                         f"received {type(rng).__name__}")
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he_normal(shape, rng, dtype=np.float32):
    """Truncated N(0, 2 / fan_in), cut at 2 std like Keras: keeps the
    variance of activations for ReLU layers."""
    fan_in, _ = _fans(shape, dtype)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"he_normal expects a np.random.Generator rng; "
                         f"received {type(rng).__name__}")
    std = np.sqrt(2.0 / fan_in) / 0.87962566103423978  # std of N(0, 1) cut at 2
    w = rng.standard_normal(size=shape)
    bad = np.abs(w) > 2
    while bad.any():  # redraw the tails, as truncated_normal does
        w[bad] = rng.standard_normal(size=int(bad.sum()))
        bad = np.abs(w) > 2
    return (w * std).astype(dtype)


def zeros(shape, rng=None, dtype=np.float32):
    """All zeros; takes ``rng`` only so every initializer has one signature."""
    _fans(shape, dtype)
    return np.zeros(shape, dtype=dtype)
# --8<-- [end:initializers]
