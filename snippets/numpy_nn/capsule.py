"""Capsules in NumPy: the squash non-linearity and routing by agreement (Sabour, Frosst and Hinton, 2017)."""

# --8<-- [start:squash]
import numpy as np


def _length_and_direction(s, axis, fn):
    """|s| along ``axis`` and s / |s| (0 for a zero vector), without overflow:
    s is divided by its largest entry before it is squared."""
    s = np.asarray(s)
    if not np.issubdtype(s.dtype, np.floating):
        raise ValueError(f"{fn} expects a floating-point array; "
                         f"received dtype {s.dtype}")
    if s.ndim == 0:
        raise ValueError(f"{fn} expects an array of capsule vectors (..., "
                         "dim); received a scalar")
    if not np.all(np.isfinite(s)):
        raise ValueError(
            f"{fn} expects finite values; received "
            f"{np.sum(~np.isfinite(s))} NaN or infinite value(s)")
    largest = np.max(np.abs(s), axis=axis, keepdims=True)
    zeros = np.zeros_like(s)
    scaled = np.divide(s, largest, out=zeros, where=largest > 0)
    scaled_length = np.sqrt(np.sum(scaled**2, axis=axis, keepdims=True))
    direction = np.divide(scaled, scaled_length, out=np.zeros_like(s),
                          where=scaled_length > 0)
    return largest * scaled_length, direction


def squash(s, axis=-1):
    """Shrink each capsule vector to a length in [0, 1), keeping its direction:
    v = |s|^2 / (1 + |s|^2) * s / |s| = f(|s|) s with f(n) = n / (1 + n^2).

    Args:
        s: float array of capsule vectors along ``axis``.
        axis: the vector axis.

    Returns:
        v, shaped like ``s``.
    """
    n, _ = _length_and_direction(s, axis, "squash")
    t = np.minimum(n, 1 / np.maximum(n, 1))  # f(n) = f(1/n): use t <= 1
    return s * (t / (1 + t * t))


def squash_backward(dv, s, axis=-1):
    """Gradient of ``squash`` w.r.t. ``s``: with n = |s| and u = s / n,
    ds = f(n) dv + f'(n) n u (u . dv).

    Args:
        dv: gradient w.r.t. the output, shaped like ``s``.
        s, axis: the forward pass's arguments.

    Returns:
        ds, shaped like ``s``.
    """
    n, u = _length_and_direction(s, axis, "squash_backward")
    dv = np.asarray(dv)
    if dv.shape != u.shape:
        raise ValueError(
            f"squash_backward expects dv of shape {u.shape}; "
            f"received shape {dv.shape}")
    if not np.all(np.isfinite(dv)):
        raise ValueError("squash_backward expects finite values in dv; "
                         "received NaN or infinite value(s)")
    t = np.minimum(n, 1 / np.maximum(n, 1))
    f = t / (1 + t * t)
    # f'(n) n = n (1 - n^2) / (1 + n^2)^2, the same as t (1 - t^2) / (1 + t^2)^2
    # with the sign flipped when n > 1
    fprime_n = np.where(n > 1, -t, t) * (1 - t * t) / (1 + t * t) ** 2
    return f * dv + fprime_n * u * np.sum(u * dv, axis=axis, keepdims=True)
# --8<-- [end:squash]


# --8<-- [start:routing]
import numpy as np


def capsule_predictions(u, w):
    """Every lower capsule's prediction of every upper one:
    u_hat[b, i, j] = u[b, i] @ w[i, j].

    Args:
        u: lower capsules, (batch, num_in, dim_in).
        w: transformation matrices, (num_in, num_out, dim_in, dim_out).

    Returns:
        u_hat, (batch, num_in, num_out, dim_out).
    """
    u, w = np.asarray(u), np.asarray(w)
    if (u.ndim != 3 or w.ndim != 4 or w.shape[0] != u.shape[1]
            or w.shape[2] != u.shape[2]):
        raise ValueError(
            "capsule_predictions expects u (batch, num_in, dim_in) and w "
            "(num_in, num_out, dim_in, dim_out) with matching num_in and "
            f"dim_in; received shapes {u.shape} and {w.shape}")
    if not (np.all(np.isfinite(u)) and np.all(np.isfinite(w))):
        raise ValueError("capsule_predictions expects finite u and w; "
                         "received NaN or infinite value(s)")
    return np.einsum("bid,ijde->bije", u, w)


def dynamic_routing(u_hat, num_iterations=3):
    """Routing by agreement: each lower capsule sends its prediction to the
    upper capsules that agree with it. The loop runs over iterations only.

    Args:
        u_hat: predictions, (batch, num_in, num_out, dim_out).
        num_iterations: routing iterations (Sabour et al. use 3); 1 is a
            plain average.

    Returns:
        (v, c): upper capsules v, (batch, num_out, dim_out), and coupling
        coefficients c, (batch, num_in, num_out), summing to 1 over num_out.
    """
    u_hat = np.asarray(u_hat)
    if u_hat.ndim != 4 or not np.issubdtype(u_hat.dtype, np.floating):
        raise ValueError(
            "dynamic_routing expects float predictions u_hat of shape "
            "(batch, num_in, num_out, dim_out); received shape "
            f"{u_hat.shape}, dtype {u_hat.dtype}")
    if not np.all(np.isfinite(u_hat)):
        raise ValueError("dynamic_routing expects finite u_hat; "
                         "received NaN or infinite value(s)")
    if (not isinstance(num_iterations, int) or isinstance(num_iterations, bool)
            or num_iterations < 1):
        raise ValueError("dynamic_routing expects an int num_iterations >= 1; "
                         f"received num_iterations={num_iterations!r}")
    logits = np.zeros(u_hat.shape[:3], u_hat.dtype)  # b_ij, uniform at first
    for iteration in range(num_iterations):
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        c = e / e.sum(axis=-1, keepdims=True)  # softmax over upper capsules j
        v = squash(np.einsum("bij,bijd->bjd", c, u_hat))
        if iteration < num_iterations - 1:  # agreement: prediction . output
            logits = logits + np.einsum("bijd,bjd->bij", u_hat, v)
    return v, c
# --8<-- [end:routing]
