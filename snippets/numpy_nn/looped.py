"""A dense layer and a convolution written with Python loops: the same arithmetic as the vectorized versions,
one multiply-add at a time, to measure what vectorizing buys (benchmarks/bench_loops.py)."""

# --8<-- [start:dense_loops]
import numpy as np


def _check_dense(x, W, b, fn):
    """x (batch, d_in), W (d_in, units), b (units,): finite float arrays."""
    x, W, b = (np.asarray(a) for a in (x, W, b))
    if (x.ndim != 2 or W.ndim != 2 or b.shape != W.shape[1:]
            or x.shape[1] != W.shape[0]):
        raise ValueError(
            f"{fn} expects x (batch, d_in), W (d_in, units), b (units,); "
            f"received shapes {x.shape}, {W.shape}, {b.shape}")
    for name, a in (("x", x), ("W", W), ("b", b)):
        if a.dtype.kind != "f" or not np.isfinite(a).all():
            raise ValueError(
                f"{fn} expects finite floats in {name}; received "
                f"dtype {a.dtype} with NaN, infinity or non-floats")
    return x, W, b


def dense_loops(x, W, b):
    """y = x W + b with three Python loops, one multiply-add per step.

    Args:
        x: inputs, shape (batch, d_in).
        W: kernel, shape (d_in, units).
        b: bias, shape (units,).

    Returns:
        y, shape (batch, units).
    """
    x, W, b = _check_dense(x, W, b, "dense_loops")
    batch, d_in = x.shape
    units = W.shape[1]
    y = np.zeros((batch, units), dtype=x.dtype)
    for n in range(batch):
        for j in range(units):
            total = b[j]
            for i in range(d_in):
                total += x[n, i] * W[i, j]
            y[n, j] = total
    return y


def dense_rows(x, W, b):
    """y = x W + b, one example at a time: the loop over the batch stays in
    Python, each example's product runs in NumPy."""
    x, W, b = _check_dense(x, W, b, "dense_rows")
    return np.stack([row @ W + b for row in x])
# --8<-- [end:dense_loops]


# --8<-- [start:conv_loops]
import numpy as np


def conv2d_loops(x, kernel):
    """'valid' convolution with stride 1 (TensorFlow's, which does not flip
    the kernel), one output pixel at a time.

    Args:
        x: images, shape (batch, height, width, c_in).
        kernel: shape (k_h, k_w, c_in, c_out).

    Returns:
        y, shape (batch, height - k_h + 1, width - k_w + 1, c_out).
    """
    x, kernel = np.asarray(x), np.asarray(kernel)
    if (x.ndim != 4 or kernel.ndim != 4 or kernel.shape[2] != x.shape[3]
            or kernel.shape[0] > x.shape[1] or kernel.shape[1] > x.shape[2]):
        raise ValueError(
            "conv2d_loops expects x (batch, h, w, c_in) and a kernel "
            "(k_h <= h, k_w <= w, c_in, c_out); received shapes "
            f"{x.shape}, {kernel.shape}")
    for name, a in (("x", x), ("kernel", kernel)):
        if a.dtype.kind != "f" or not np.isfinite(a).all():
            raise ValueError(
                f"conv2d_loops expects finite floats in {name}; received "
                f"dtype {a.dtype} with NaN, infinity or non-floats")
    batch, height, width, _ = x.shape
    k_h, k_w, _, c_out = kernel.shape
    out_h, out_w = height - k_h + 1, width - k_w + 1
    y = np.zeros((batch, out_h, out_w, c_out), dtype=x.dtype)
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                window = x[n, i:i + k_h, j:j + k_w, :]  # (k_h, k_w, c_in)
                # every output channel at once: sum over the window and c_in
                y[n, i, j] = np.tensordot(window, kernel, axes=3)
    return y
# --8<-- [end:conv_loops]
