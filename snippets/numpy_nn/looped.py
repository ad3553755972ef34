"""A dense layer and a convolution written with Python loops: the same arithmetic as the vectorized versions,
one multiply-add at a time, to measure what vectorizing buys (benchmarks/bench_loops.py)."""

# --8<-- [start:dense_loops]
import numpy as np


def dense_loops(x, W, b):
    """y = x W + b with three Python loops, one multiply-add per step.

    Args:
        x: inputs, shape (batch, d_in).
        W: kernel, shape (d_in, units).
        b: bias, shape (units,).

    Returns:
        y, shape (batch, units).
    """
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
