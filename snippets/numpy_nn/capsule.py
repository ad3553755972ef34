"""Capsules in NumPy: the squash non-linearity and routing by agreement (Sabour, Frosst and Hinton, 2017)."""

# --8<-- [start:squash]
import numpy as np


def _norm_and_direction(s, axis):
    """Length of ``s`` along ``axis`` and its unit direction (0 for a zero vector), without overflow."""
    s = np.asarray(s)
    if not np.issubdtype(s.dtype, np.floating):
        raise ValueError(f"squash expects a floating-point array; received dtype {s.dtype}")
    if s.ndim == 0:
        raise ValueError("squash expects an array of capsule vectors (..., dim); received a scalar")
    largest = np.max(np.abs(s), axis=axis, keepdims=True)
    scaled = np.divide(s, largest, out=np.zeros_like(s), where=largest > 0)  # entries in [-1, 1]: no overflow
    scaled_norm = np.sqrt(np.sum(scaled**2, axis=axis, keepdims=True))
    direction = np.divide(scaled, scaled_norm, out=np.zeros_like(s), where=scaled_norm > 0)
    return largest * scaled_norm, direction


def _min_of_n_and_inverse(n):
    """t = min(n, 1/n), computed without dividing by zero; f(n) = n / (1 + n^2) equals t / (1 + t^2)."""
    return np.where(n > 1, 1 / np.maximum(n, 1), n)


def squash(s, axis=-1):
    """Shrink each capsule vector to a length in [0, 1) and keep its direction: |s|^2 / (1 + |s|^2) * s / |s|.

    Written as s * |s| / (1 + |s|^2), so a zero vector maps to zero with no division, and for long vectors
    as s * (1/|s|) / (1 + 1/|s|^2), so |s|^2 never overflows.

    Args:
        s: float array (..., dim, ...) of capsule vectors along ``axis``.
        axis: the vector axis.

    Returns:
        Array shaped like ``s``.
    """
    n, _ = _norm_and_direction(s, axis)
    t = _min_of_n_and_inverse(n)
    return s * (t / (1 + t * t))


def squash_backward(dv, s, axis=-1):
    """Gradient of ``squash`` with respect to ``s``.

    With v = f(n) s, n = |s|, f(n) = n / (1 + n^2): ds = f(n) dv + f'(n) n u (u . dv), u = s / n.

    Args:
        dv: upstream gradient shaped like ``s``.
        s, axis: the forward's input.

    Returns:
        ds shaped like ``s``.
    """
    n, u = _norm_and_direction(s, axis)
    dv = np.asarray(dv)
    if dv.shape != u.shape:
        raise ValueError(f"squash backward expects dv of shape {u.shape}; received shape {dv.shape}")
    t = _min_of_n_and_inverse(n)
    f = t / (1 + t * t)
    # f'(n) n = n (1 - n^2) / (1 + n^2)^2, which is t (1 - t^2) / (1 + t^2)^2 with a minus sign when n > 1
    fprime_n = np.where(n > 1, -1.0, 1.0) * t * (1 - t * t) / (1 + t * t) ** 2
    return f * dv + fprime_n * u * np.sum(u * dv, axis=axis, keepdims=True)


# --8<-- [end:squash]


# --8<-- [start:routing]
import numpy as np


def capsule_predictions(u, w):
    """Every lower capsule's prediction of every upper capsule: u_hat[b, i, j] = u[b, i] @ w[i, j].

    Args:
        u: lower capsules (batch, num_in, dim_in).
        w: transformation matrices (num_in, num_out, dim_in, dim_out).

    Returns:
        u_hat (batch, num_in, num_out, dim_out).
    """
    u, w = np.asarray(u), np.asarray(w)
    if u.ndim != 3 or w.ndim != 4 or w.shape[0] != u.shape[1] or w.shape[2] != u.shape[2]:
        raise ValueError(
            f"capsule_predictions expects u (batch, num_in, dim_in) and w (num_in, num_out, dim_in, dim_out) "
            f"with matching num_in and dim_in; received shapes {u.shape} and {w.shape}"
        )
    return np.einsum("bid,ijde->bije", u, w)


def dynamic_routing(u_hat, num_iterations=3):
    """Routing by agreement: lower capsules send their predictions to the upper capsules that agree with them.

    Vectorized over the batch and every capsule pair; the loop runs over routing iterations only.

    Args:
        u_hat: predictions (batch, num_in, num_out, dim_out), from ``capsule_predictions``.
        num_iterations: routing iterations (Sabour et al. use 3); 1 means plain averaging.

    Returns:
        (v, c): upper capsules v (batch, num_out, dim_out) and coupling coefficients c
        (batch, num_in, num_out), each lower capsule's c summing to 1 over the upper ones.
    """
    u_hat = np.asarray(u_hat)
    if u_hat.ndim != 4 or not np.issubdtype(u_hat.dtype, np.floating):
        raise ValueError(
            "dynamic_routing expects float predictions u_hat of shape (batch, num_in, num_out, dim_out); "
            f"received shape {u_hat.shape}, dtype {u_hat.dtype}"
        )
    if not isinstance(num_iterations, int) or num_iterations < 1:
        raise ValueError(f"dynamic_routing expects num_iterations >= 1; received num_iterations={num_iterations}")
    logits = np.zeros(u_hat.shape[:3], dtype=u_hat.dtype)  # b_ij: log prior that i feeds j, uniform at first
    for iteration in range(num_iterations):
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        c = e / e.sum(axis=-1, keepdims=True)  # softmax over upper capsules j
        v = squash(np.einsum("bij,bijd->bjd", c, u_hat))
        if iteration < num_iterations - 1:
            logits = logits + np.einsum("bijd,bjd->bij", u_hat, v)  # agreement: prediction . output
    return v, c


# --8<-- [end:routing]
