"""Max and average pooling in NumPy, the same as ``tf.nn.max_pool2d`` / ``tf.nn.avg_pool2d`` (NHWC).

Both cut the (padded) images into windows with ``conv.windows`` and reduce each window to one number; both
backward passes build the gradient of every window entry and add it back onto the image with
``conv.add_windows``.
"""

from snippets.numpy_nn.conv import add_windows, check_dy, check_images, check_window, windows

# isort: split
# --8<-- [start:max_pool2d]
import numpy as np


def max_pool2d(x, pool_size, strides=None, padding="valid"):
    """Largest value of each window, as ``tf.nn.max_pool2d``.

    Args:
        x: images, shape (batch, height, width, channels).
        pool_size: int or (pool_h, pool_w).
        strides: int or (stride_h, stride_w); default ``pool_size``.
        padding: "valid" or "same" ('same' pads with -inf: it never wins).

    Returns:
        Pooled maps, shape (batch, out_h, out_w, channels).
    """
    x = check_images(x, "max_pool2d")
    pool, strides, padding = check_window(
        x, pool_size, "pool_size", pool_size if strides is None else strides,
        padding, "max_pool2d")
    patches = windows(x, pool, strides, padding, fill=-np.inf)
    return patches.max(axis=(4, 5))


def max_pool2d_backward(dy, x, pool_size, strides=None, padding="valid"):
    """Gradient of ``max_pool2d`` w.r.t. ``x``: each window's gradient goes
    to its largest pixel (the first one on a tie, as in TensorFlow).

    Args:
        dy: gradient w.r.t. the output, (batch, out_h, out_w, channels).
        x, pool_size, strides, padding: the forward pass's arguments.

    Returns:
        dx, shaped like ``x``.
    """
    fn = "max_pool2d_backward"
    x = check_images(x, fn)
    pool, strides, padding = check_window(
        x, pool_size, "pool_size", pool_size if strides is None else strides,
        padding, fn)
    patches = windows(x, pool, strides, padding, fill=-np.inf)
    n, out_h, out_w, c, ph, pw = patches.shape
    dy = check_dy(dy, (n, out_h, out_w, c), fn)
    # the winner of each window: argmax of its ph * pw pixels, row-major
    flat = patches.reshape(n, out_h, out_w, c, ph * pw)
    winner = flat.argmax(axis=-1)[..., None]
    dflat = np.zeros(flat.shape, dy.dtype)  # each window's gradient goes
    np.put_along_axis(dflat, winner, dy[..., None], axis=-1)  # to its winner
    return add_windows(dflat.reshape(patches.shape), x.shape, strides, padding)
# --8<-- [end:max_pool2d]


# --8<-- [start:avg_pool2d]
import numpy as np


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """Mean of each window, as ``tf.nn.avg_pool2d``.

    Args:
        x, pool_size, strides, padding: as for ``max_pool2d``. With 'same',
            a window at the border averages its real pixels only, as in
            TensorFlow.

    Returns:
        Pooled maps, shape (batch, out_h, out_w, channels).
    """
    x = check_images(x, "avg_pool2d")
    pool, strides, padding = check_window(
        x, pool_size, "pool_size", pool_size if strides is None else strides,
        padding, "avg_pool2d")
    patches = windows(x, pool, strides, padding)
    ones = np.ones((1, *x.shape[1:3], 1), x.dtype)
    counts = windows(ones, pool, strides, padding).sum(axis=(4, 5))
    # divide first, then add: the sum of huge pixels cannot overflow
    return (patches / counts[..., None, None]).sum(axis=(4, 5))


def avg_pool2d_backward(dy, x, pool_size, strides=None, padding="valid"):
    """Gradient of ``avg_pool2d`` w.r.t. ``x``: each window's gradient,
    divided by its pixel count, goes to every pixel of the window.

    Args:
        dy: gradient w.r.t. the output, (batch, out_h, out_w, channels).
        x, pool_size, strides, padding: the forward pass's arguments.

    Returns:
        dx, shaped like ``x``.
    """
    fn = "avg_pool2d_backward"
    x = check_images(x, fn)
    pool, strides, padding = check_window(
        x, pool_size, "pool_size", pool_size if strides is None else strides,
        padding, fn)
    patches = windows(x, pool, strides, padding)
    dy = check_dy(dy, (*patches.shape[:3], x.shape[3]), fn)
    ones = np.ones((1, *x.shape[1:3], 1), x.dtype)
    counts = windows(ones, pool, strides, padding).sum(axis=(4, 5))
    share = (dy / counts)[..., None, None]  # each pixel's share of dy
    dpatches = np.broadcast_to(share, patches.shape)
    return add_windows(dpatches, x.shape, strides, padding)
# --8<-- [end:avg_pool2d]
