"""Gradient clipping, as Keras optimizers' ``clipvalue``, ``clipnorm`` and ``global_clipnorm`` do it."""

# --8<-- [start:clipping]
import numpy as np


def clip_by_value(grads, clipvalue):
    """Clip every element of every gradient to [-clipvalue, clipvalue]. Returns a new dict."""
    if not clipvalue > 0:
        raise ValueError(f"clip_by_value expects clipvalue > 0; received clipvalue={clipvalue!r}")
    return {k: np.clip(g, -clipvalue, clipvalue) for k, g in grads.items()}


def clip_by_norm(grads, clipnorm):
    """Rescale each gradient separately so its L2 norm is at most ``clipnorm``. Returns a new dict."""
    if not clipnorm > 0:
        raise ValueError(f"clip_by_norm expects clipnorm > 0; received clipnorm={clipnorm!r}")
    out = {}
    for k, g in grads.items():
        norm = np.sqrt(np.sum(np.square(g, dtype=np.float64)))
        out[k] = g * (clipnorm / norm) if norm > clipnorm else g.copy()
    return out


def clip_by_global_norm(grads, clipnorm):
    """Rescale all gradients together so their joint L2 norm is at most ``clipnorm``.

    Returns:
        (clipped dict, the global norm before clipping).
    """
    if not clipnorm > 0:
        raise ValueError(f"clip_by_global_norm expects clipnorm > 0; received clipnorm={clipnorm!r}")
    norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads.values())))
    scale = clipnorm / norm if norm > clipnorm else 1.0
    return {k: (g * scale).astype(g.dtype) for k, g in grads.items()}, norm
# --8<-- [end:clipping]
