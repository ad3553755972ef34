"""Central-difference gradient checks: the reference every backward pass is tested against."""

# --8<-- [start:gradcheck]
import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Estimate dL/dx of a scalar function by central differences.

    Args:
        f: callable taking an array shaped like ``x`` and returning a scalar.
        x: float64 array of any shape; it is perturbed in place and restored.
        eps: step size.

    Returns:
        Array shaped like ``x``: (f(x + eps) - f(x - eps)) / (2 eps) for
        each element in turn.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(
            f"numerical_gradient expects a float64 array; received dtype "
            f"{getattr(x, 'dtype', type(x).__name__)}"
        )
    if not np.isfinite(x).all():
        raise ValueError(
            f"numerical_gradient expects finite x; received "
            f"{int((~np.isfinite(x)).sum())} NaN or inf"
        )
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # every element in turn
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b, floor=1e-12):
    """max|a - b| / (max|a| + max|b|): 0 if equal, 1 if opposite.

    Scaled by the largest entries, not entry by entry, so a gradient that
    is tiny in a few places (tanh far from 0, say) does not turn
    floating-point noise into a huge ratio.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"relative_error expects arrays of one shape; "
            f"received {a.shape} and {b.shape}"
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError(
            "relative_error expects finite arrays; received "
            f"{int((~np.isfinite(a)).sum() + (~np.isfinite(b)).sum())} "
            "NaN or inf"
        )
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)) + np.max(np.abs(b)), floor)
    return float(np.max(np.abs(a - b)) / scale)


def check_gradient(f, x, analytic, eps=1e-6, tol=1e-6):
    """Compare ``analytic`` with the central differences of ``f`` at ``x``.

    Returns:
        The relative error, so a page can print it.

    Raises:
        AssertionError: if the relative error is not below ``tol``.
    """
    numeric = numerical_gradient(f, x, eps)
    err = relative_error(analytic, numeric)
    if not err < tol:
        raise AssertionError(
            f"gradient check failed: relative error {err:.3e} >= {tol:.0e}"
        )
    return err
# --8<-- [end:gradcheck]
