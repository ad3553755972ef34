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
        Array shaped like ``x`` holding (f(x + eps) - f(x - eps)) / (2 eps) per element.
    """
    if x.dtype != np.float64:
        raise ValueError(f"numerical_gradient expects a float64 array; received dtype {x.dtype}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b, floor=1e-12):
    """max|a - b| / (max|a| + max|b|): 0 for equal arrays, 1 for opposite ones.

    Scaled by the largest entries rather than entry by entry, so gradients that are tiny in a few places
    (tanh far from zero, say) don't turn floating-point noise into a huge ratio.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error expects arrays of one shape; received {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)) + np.max(np.abs(b)), floor)
    return float(np.max(np.abs(a - b)) / scale)


def check_gradient(f, x, analytic, eps=1e-6, tol=1e-6):
    """Raise AssertionError unless ``analytic`` matches the central-difference gradient of ``f`` at ``x``.

    Returns:
        The max relative error, so a page can print it.
    """
    numeric = numerical_gradient(f, x, eps)
    err = relative_error(analytic, numeric)
    if not err < tol:
        raise AssertionError(f"gradient check failed: max relative error {err:.3e} >= {tol:.0e}")
    return err
# --8<-- [end:gradcheck]
