"""Gradient clipping, as Keras optimizers' ``clipvalue``, ``clipnorm`` and ``global_clipnorm`` do it."""

# --8<-- [start:clip_by_value]
import numpy as np


def clip_by_value(grads, clipvalue):
    """Clip every entry of every gradient to [-clipvalue, clipvalue].

    Args:
        grads: dict of gradient arrays.
    Returns:
        A new dict, same keys, shapes and dtypes.
    """
    if not (isinstance(clipvalue, (int, float, np.number)) and clipvalue > 0):
        raise ValueError(
            "clip_by_value expects clipvalue > 0; "
            f"received clipvalue={clipvalue!r}"
        )
    out = {}
    for k, g in grads.items():
        g = np.asarray(g)
        if np.isnan(g).any():
            raise ValueError(f"clip_by_value expects grads without NaN; "
                             f"received NaN in grads[{k!r}]")
        out[k] = np.clip(g, -clipvalue, clipvalue).astype(g.dtype)
    return out
# --8<-- [end:clip_by_value]


# --8<-- [start:clip_by_norm]
import numpy as np


def clip_by_norm(grads, clipnorm):
    """Rescale each gradient on its own so its L2 norm is at most ``clipnorm``.

    Args:
        grads: dict of gradient arrays.
    Returns:
        A new dict, same keys, shapes and dtypes.
    """
    if not (isinstance(clipnorm, (int, float, np.number)) and clipnorm > 0):
        raise ValueError(
            f"clip_by_norm expects clipnorm > 0; received clipnorm={clipnorm!r}"
        )
    out = {}
    for k, g in grads.items():
        g = np.asarray(g)
        if not np.isfinite(g).all():
            raise ValueError(f"clip_by_norm expects finite grads; "
                             f"received NaN or inf in grads[{k!r}]")
        # divide by the largest entry first: the square of 1e200 overflows
        big = float(np.max(np.abs(g), initial=0.0))
        scaled = g.astype(np.float64) / big if big > 0 else g.astype(np.float64)
        norm = big * np.sqrt(np.sum(np.square(scaled)))
        if norm > clipnorm:
            out[k] = (g * (clipnorm / norm)).astype(g.dtype)
        else:
            out[k] = g.copy()
    return out
# --8<-- [end:clip_by_norm]


# --8<-- [start:clip_by_global_norm]
import math

import numpy as np


def clip_by_global_norm(grads, clipnorm):
    """Rescale all gradients together so their joint L2 norm is at most
    ``clipnorm``.

    Args:
        grads: dict of gradient arrays.
    Returns:
        (a new dict with the same keys, shapes and dtypes, the global norm
        before clipping).
    """
    if not (isinstance(clipnorm, (int, float, np.number)) and clipnorm > 0):
        raise ValueError(
            "clip_by_global_norm expects clipnorm > 0; "
            f"received clipnorm={clipnorm!r}"
        )
    norms = []
    for k, g in grads.items():
        g = np.asarray(g)
        if not np.isfinite(g).all():
            raise ValueError(f"clip_by_global_norm expects finite grads; "
                             f"received NaN or inf in grads[{k!r}]")
        # divide by the largest entry first: the square of 1e200 overflows
        big = float(np.max(np.abs(g), initial=0.0))
        scaled = g.astype(np.float64) / big if big > 0 else g.astype(np.float64)
        norms.append(big * math.sqrt(np.sum(np.square(scaled))))
    norm = math.hypot(*norms)  # sqrt of the sum of squares, without overflow
    scale = clipnorm / norm if norm > clipnorm else 1.0
    out = {k: (np.asarray(g) * scale).astype(np.asarray(g).dtype)
           for k, g in grads.items()}
    return out, norm
# --8<-- [end:clip_by_global_norm]
