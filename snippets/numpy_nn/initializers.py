"""Weight initializers with Keras' names and scales; each draws from an explicit ``rng``."""

# --8<-- [start:initializers]
import numpy as np


def _fans(shape):
    """(fan_in, fan_out) as Keras computes them: a kernel (..., d_in, d_out) has receptive field prod(...)."""
    if len(shape) < 2:
        raise ValueError(f"initializers expect a kernel shape with at least 2 axes; received {shape}")
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def glorot_uniform(shape, rng, dtype=np.float32):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)): keeps activation variance for tanh/linear."""
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he_normal(shape, rng, dtype=np.float32):
    """Truncated N(0, 2 / fan_in) (cut at 2 std, like Keras): keeps activation variance for ReLU."""
    fan_in, _ = _fans(shape)
    std = np.sqrt(2.0 / fan_in) / 0.87962566103423978  # std of a unit normal truncated at +-2
    w = rng.standard_normal(size=shape)
    bad = np.abs(w) > 2
    while bad.any():  # redraw the tails instead of clipping them, as truncated_normal does
        w[bad] = rng.standard_normal(size=int(bad.sum()))
        bad = np.abs(w) > 2
    return (w * std).astype(dtype)


def zeros(shape, rng=None, dtype=np.float32):
    """All zeros; takes ``rng`` only so every initializer has one signature."""
    return np.zeros(shape, dtype=dtype)


INITIALIZERS = {"glorot_uniform": glorot_uniform, "he_normal": he_normal, "zeros": zeros}


def get(name):
    """Look an initializer up by its Keras name."""
    if callable(name):
        return name
    if name not in INITIALIZERS:
        raise ValueError(f"unknown initializer; expected one of {sorted(INITIALIZERS)}, received {name!r}")
    return INITIALIZERS[name]
# --8<-- [end:initializers]
