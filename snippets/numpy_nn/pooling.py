"""Max and average pooling in NumPy, the same as ``tf.nn.max_pool2d`` / ``tf.nn.avg_pool2d`` (NHWC).

Average pooling sums one strided window view of the (padded) input. Max pooling and both backward passes loop
over the few positions inside a window (pool_h * pool_w of them), each step handling every window at once
through one strided slice.
"""

from snippets.numpy_nn.conv import _check_images, _check_padding, _pair, conv_padding

# isort: split
# --8<-- [start:windows]
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pool_geometry(x, pool_size, strides, padding, fn):
    """Validate the arguments; return pool (ph, pw), strides (sh, sw), out (oh, ow) and pads ((t, b), (l, r))."""
    x = _check_images(x, fn)
    pool = _pair(pool_size, "pool_size", fn)
    strides = pool if strides is None else _pair(strides, "strides", fn)
    padding = _check_padding(padding, fn)
    if padding == "valid" and (pool[0] > x.shape[1] or pool[1] > x.shape[2]):
        raise ValueError(
            f"{fn} with padding 'valid' expects a pool no larger than the image; "
            f"received pool_size {pool} for image {x.shape[1:3]}"
        )
    out_h, pt, pb = conv_padding(x.shape[1], pool[0], strides[0], padding)
    out_w, pl, pr = conv_padding(x.shape[2], pool[1], strides[1], padding)
    return x, pool, strides, (out_h, out_w), ((pt, pb), (pl, pr))


def _windows(x, pool, strides, pads, fill):
    """View of shape (batch, out_h, out_w, channels, ph, pw): window [n, i, j] of channel c of ``x``."""
    (pt, pb), (pl, pr) = pads
    if pt or pb or pl or pr:
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)
    return sliding_window_view(x, pool, axis=(1, 2))[:, :: strides[0], :: strides[1]]
# --8<-- [end:windows]


# --8<-- [start:max_pool2d]
def _tap_views(x, pool, strides, out_hw, pads):
    """For each of the pool_h * pool_w positions in a window (row-major), that position of every window at
    once: a strided view of the (padded) input, shape (batch, out_h, out_w, channels)."""
    (pt, pb), (pl, pr), (sh, sw), (out_h, out_w) = *pads, strides, out_hw
    if pt or pb or pl or pr:
        x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=-np.inf)  # padding never wins
    return [x[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw] for i in range(pool[0]) for j in range(pool[1])]


def max_pool2d(x, pool_size, strides=None, padding="valid"):
    """Largest value of each window, the same as ``tf.nn.max_pool2d(x, pool_size, strides, padding.upper())``.

    Args:
        x: images, shape (batch, height, width, channels).
        pool_size: int or (pool_h, pool_w).
        strides: int or (stride_h, stride_w); defaults to ``pool_size`` (non-overlapping windows, as in Keras).
        padding: "valid" or "same" ('same' pads with -inf, so padding never wins).

    Returns:
        Pooled maps, shape (batch, out_h, out_w, channels).
    """
    x, pool, strides, out_hw, pads = _pool_geometry(x, pool_size, strides, padding, "max_pool2d")
    taps = _tap_views(x, pool, strides, out_hw, pads)
    y = taps[0].copy()
    for tap in taps[1:]:  # a loop over the pool_h * pool_w positions of a window, never over pixels
        np.maximum(y, tap, out=y)
    return y
# --8<-- [end:max_pool2d]


# --8<-- [start:avg_pool2d]
def _window_counts(x, pool, strides, pads):
    """How many real (not padded) pixels each window covers, shape (1, out_h, out_w, 1)."""
    ones = np.ones((1, x.shape[1], x.shape[2], 1), dtype=x.dtype)
    return _windows(ones, pool, strides, pads, 0).sum(axis=(4, 5))


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """Mean of each window, the same as ``tf.nn.avg_pool2d(x, pool_size, strides, padding.upper())``.

    Args:
        x, pool_size, strides, padding: as for ``max_pool2d``. With 'same', TensorFlow averages over the
            real pixels only, so border windows divide by fewer than pool_h * pool_w.

    Returns:
        Pooled maps, shape (batch, out_h, out_w, channels).
    """
    x, pool, strides, _, pads = _pool_geometry(x, pool_size, strides, padding, "avg_pool2d")
    total = _windows(x, pool, strides, pads, 0).sum(axis=(4, 5))
    return total / _window_counts(x, pool, strides, pads)
# --8<-- [end:avg_pool2d]


# --8<-- [start:backward]
def _check_dy(dy, out_shape, fn):
    dy = np.asarray(dy)
    if dy.shape != out_shape:
        raise ValueError(f"{fn} expects dy of shape {out_shape}; received shape {dy.shape}")
    return dy


def max_pool2d_backward(dy, x, pool_size, strides=None, padding="valid"):
    """Gradient of ``max_pool2d`` w.r.t. ``x``: each window's gradient goes to its (first) largest pixel.

    Args:
        dy: gradient w.r.t. the output, shape (batch, out_h, out_w, channels).
        x, pool_size, strides, padding: the forward pass's arguments.

    Returns:
        dx, shaped like ``x``. Ties go to the first pixel in row-major order, as in TensorFlow; pixels that
        win several overlapping windows collect all their gradients.
    """
    x, pool, strides, out_hw, pads = _pool_geometry(x, pool_size, strides, padding, "max_pool2d_backward")
    n, h, w, c = x.shape
    dy = _check_dy(dy, (n, *out_hw, c), "max_pool2d_backward")
    (pt, pb), (pl, pr), (sh, sw), (out_h, out_w) = *pads, strides, out_hw
    taps = _tap_views(x, pool, strides, out_hw, pads)
    y = max_pool2d(x, pool, strides, padding)
    unclaimed = np.ones(y.shape, dtype=bool)  # windows whose maximum has not been found yet
    dx = np.zeros((n, h + pt + pb, w + pl + pr, c), dtype=np.result_type(dy, x))
    for k, tap in enumerate(taps):  # positions in row-major order, so on a tie the first one wins
        wins = tap == y
        wins &= unclaimed
        unclaimed ^= wins
        i, j = divmod(k, pool[1])
        # dy * wins rather than np.where: no data-dependent branches, several times faster on random masks
        dx[:, i : i + sh * out_h : sh, j : j + sw * out_w : sw] += dy * wins
    return dx[:, pt:pt + h, pl:pl + w]


def avg_pool2d_backward(dy, x, pool_size, strides=None, padding="valid"):
    """Gradient of ``avg_pool2d`` w.r.t. ``x``: each window's gradient, divided by its count, to every pixel.

    Args:
        dy: gradient w.r.t. the output, shape (batch, out_h, out_w, channels).
        x, pool_size, strides, padding: the forward pass's arguments.

    Returns:
        dx, shaped like ``x``.
    """
    x, pool, strides, out_hw, pads = _pool_geometry(x, pool_size, strides, padding, "avg_pool2d_backward")
    n, h, w, c = x.shape
    dy = _check_dy(dy, (n, *out_hw, c), "avg_pool2d_backward")
    (pt, pb), (pl, pr), (sh, sw), (out_h, out_w) = *pads, strides, out_hw
    share = dy / _window_counts(x, pool, strides, pads)
    dx = np.zeros((n, h + pt + pb, w + pl + pr, c), dtype=share.dtype)
    for i in range(pool[0]):  # every position in the window gets its share of every window's gradient
        for j in range(pool[1]):
            dx[:, i:i + sh * out_h:sh, j:j + sw * out_w:sw] += share
    return dx[:, pt:pt + h, pl:pl + w]
# --8<-- [end:backward]
