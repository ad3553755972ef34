"""2-D convolution in NumPy with TensorFlow's conventions: NHWC inputs, HWIO kernels, 'valid'/'same' padding.

The forward pass is im2col (every window of the padded input laid out as one row of a matrix) plus one matrix
product. The backward pass is two more products; the input's gradient goes back onto the pixels each window
read with ``add_windows``, the transpose of cutting windows (col2im). The pooling functions of ``pooling.py``
use the same windows and the same checks.
"""

# --8<-- [start:windows]
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_padding(size, kernel_size, stride, padding):
    """Output size and padding of one axis, exactly as TensorFlow computes them.

    Args:
        size: input length along the axis.
        kernel_size: window length along the axis.
        stride: step between windows.
        padding: "valid" (no padding) or "same" (out = ceil(size / stride)).

    Returns:
        (out_size, pad_before, pad_after); with "same", an odd extra pixel of
        padding goes after (bottom/right), as in TensorFlow.
    """
    for name, value, least in (("size", size, 0), ("stride", stride, 1),
                               ("kernel_size", kernel_size, 1)):
        if (not isinstance(value, (int, np.integer)) or isinstance(value, bool)
                or value < least):
            raise ValueError(f"conv_padding expects an int {name} >= {least}; "
                             f"received {name}={value!r}")
    if padding not in ("valid", "same"):
        raise ValueError("conv_padding expects padding 'valid' or 'same'; "
                         f"received padding={padding!r}")
    if padding == "valid":
        return (size - kernel_size) // stride + 1, 0, 0
    out_size = math.ceil(size / stride)
    pad_total = max((out_size - 1) * stride + kernel_size - size, 0)
    return out_size, pad_total // 2, pad_total - pad_total // 2


def windows(x, window, strides, padding, fill=0.0):
    """Every window of the padded images, as a view of them: the windows
    share the images' memory, nothing is copied but the padded image.

    Args:
        x: images, shape (batch, height, width, channels).
        window: (window_h, window_w).
        strides: (stride_h, stride_w).
        padding: "valid" or "same".
        fill: the value of the padding pixels.

    Returns:
        View of shape (batch, out_h, out_w, channels, window_h, window_w):
        windows(...)[n, i, j, c, a, b] = padded x[n, i*stride_h + a,
        j*stride_w + b, c].
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError("windows expects x of shape (batch, height, width, "
                         f"channels); received shape {x.shape}")
    _, top, bottom = conv_padding(x.shape[1], window[0], strides[0], padding)
    _, left, right = conv_padding(x.shape[2], window[1], strides[1], padding)
    pads = ((0, 0), (top, bottom), (left, right), (0, 0))
    x = np.pad(x, pads, constant_values=fill)
    view = sliding_window_view(x, window, axis=(1, 2))
    return view[:, :: strides[0], :: strides[1]]


def add_windows(dwindows, x_shape, strides, padding):
    """The backward of ``windows``: each window's gradient added back onto
    the pixels it covers (overlapping windows add up).

    Args:
        dwindows: gradients shaped like ``windows(x, ...)``.
        x_shape: the shape of ``x``.
        strides, padding: as given to ``windows``.

    Returns:
        dx, shape ``x_shape``.
    """
    dwindows = np.asarray(dwindows)
    if dwindows.ndim != 6 or len(x_shape) != 4:
        raise ValueError(
            "add_windows expects dwindows of rank 6 and an x_shape of rank 4; "
            f"received shapes {dwindows.shape}, {x_shape}")
    n, out_h, out_w, c, kh, kw = dwindows.shape
    (sh, sw), (_, h, w, _) = strides, x_shape
    size_h, top, bottom = conv_padding(h, kh, sh, padding)
    size_w, left, right = conv_padding(w, kw, sw, padding)
    expected = (x_shape[0], size_h, size_w, x_shape[3])
    if (n, out_h, out_w, c) != expected:
        raise ValueError(f"add_windows expects dwindows of shape {expected} + "
                         f"window; received shape {dwindows.shape}")
    dx = np.zeros((n, top + h + bottom, left + w + right, c), dwindows.dtype)
    for a in range(kh):  # window position (a, b) of every window at once
        for b in range(kw):
            rows = slice(a, a + sh * out_h, sh)
            cols = slice(b, b + sw * out_w, sw)
            dx[:, rows, cols] += dwindows[..., a, b]
    return dx[:, top:top + h, left:left + w]
# --8<-- [end:windows]


# --8<-- [start:checks]
import numpy as np


def check_float(a, name, fn):
    """A floating-point array with no NaN or infinity."""
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(
            f"{fn} expects a floating-point {name}; received dtype {a.dtype}")
    if not np.all(np.isfinite(a)):
        raise ValueError(
            f"{fn} expects finite values in {name}; received "
            f"{np.sum(~np.isfinite(a))} NaN or infinite value(s)")
    return a


def check_images(x, fn):
    """Finite float images of shape (batch, height, width, channels)."""
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(
            f"{fn} expects x of shape (batch, height, width, channels); "
            f"received shape {x.shape}")
    if x.shape[1] == 0 or x.shape[2] == 0:
        raise ValueError(
            f"{fn} expects images of height and width >= 1; "
            f"received shape {x.shape}")
    return check_float(x, "x", fn)


def check_kernel(kernel, in_channels, fn):
    """A finite float kernel of shape (kh, kw, in_channels, out_channels)."""
    kernel = np.asarray(kernel)
    if kernel.ndim != 4 or kernel.shape[2] != in_channels:
        raise ValueError(
            f"{fn} expects kernel of shape (height, width, in_channels="
            f"{in_channels}, out_channels); received shape {kernel.shape}")
    return check_float(kernel, "kernel", fn)


def check_pair(value, name, fn):
    """A positive int or a pair of them, as a pair of ints."""
    pair = value if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool)
        and v > 0 for v in pair
    ):
        raise ValueError(
            f"{fn} expects {name} to be a positive int or a pair of "
            f"them; received {value!r}")
    return int(pair[0]), int(pair[1])


def check_window(x, window, name, strides, padding, fn):
    """Window size, strides and padding that fit the images ``x``."""
    window = check_pair(window, name, fn)
    strides = check_pair(strides, "strides", fn)
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            f"{fn} expects padding 'valid' or 'same'; received {padding!r}")
    padding = padding.lower()
    too_big = window[0] > x.shape[1] or window[1] > x.shape[2]
    if padding == "valid" and too_big:
        raise ValueError(
            f"{fn} with padding 'valid' expects a {name} no larger than the "
            f"image; received {name} {window} for image {x.shape[1:3]}")
    return window, strides, padding


def check_dy(dy, shape, fn):
    """A finite float gradient of exactly the output's shape."""
    dy = np.asarray(dy)
    if dy.shape != tuple(shape):
        raise ValueError(
            f"{fn} expects dy of shape {tuple(shape)}, the output's; "
            f"received shape {dy.shape}")
    return check_float(dy, "dy", fn)
# --8<-- [end:checks]


# --8<-- [start:conv2d]
import numpy as np


def conv2d(x, kernel, strides=1, padding="valid"):
    """2-D cross-correlation, as ``tf.nn.conv2d`` computes it.

    Args:
        x: images, shape (batch, height, width, in_channels).
        kernel: filters, shape (kh, kw, in_channels, out_channels).
        strides: int or (stride_h, stride_w).
        padding: "valid" or "same".

    Returns:
        Feature maps, shape (batch, out_h, out_w, out_channels).
    """
    x = check_images(x, "conv2d")
    kernel = check_kernel(kernel, x.shape[3], "conv2d")
    kh, kw, c_in, c_out = kernel.shape
    _, strides, padding = check_window(
        x, (kh, kw), "kernel", strides, padding, "conv2d")
    patches = windows(x, (kh, kw), strides, padding)  # (n, i, j, c, a, b)
    n, out_h, out_w = patches.shape[:3]
    # im2col: one row per output pixel, ordered (a, b, c) like the kernel
    cols = patches.transpose(0, 1, 2, 4, 5, 3).reshape(
        n * out_h * out_w, kh * kw * c_in)
    y = cols @ kernel.reshape(kh * kw * c_in, c_out)  # the whole layer
    return y.reshape(n, out_h, out_w, c_out)
# --8<-- [end:conv2d]


# --8<-- [start:conv2d_backward]
import numpy as np


def conv2d_backward(dy, x, kernel, strides=1, padding="valid"):
    """Gradients of ``conv2d(x, kernel, strides, padding)``.

    Args:
        dy: gradient w.r.t. the output, (batch, out_h, out_w, out_channels).
        x, kernel, strides, padding: the forward pass's arguments.

    Returns:
        (dx, dkernel), shaped like ``x`` and ``kernel``.
    """
    fn = "conv2d_backward"
    x = check_images(x, fn)
    kernel = check_kernel(kernel, x.shape[3], fn)
    kh, kw, c_in, c_out = kernel.shape
    _, strides, padding = check_window(
        x, (kh, kw), "kernel", strides, padding, fn)
    patches = windows(x, (kh, kw), strides, padding)
    n, out_h, out_w = patches.shape[:3]
    dy = check_dy(dy, (n, out_h, out_w, c_out), fn)
    rows, size = n * out_h * out_w, kh * kw * c_in
    cols = patches.transpose(0, 1, 2, 4, 5, 3).reshape(rows, size)
    dy = dy.reshape(rows, c_out)
    # y = cols @ K, so dK = cols^T dy and dcols = dy K^T
    dkernel = (cols.T @ dy).reshape(kernel.shape)
    dcols = dy @ kernel.reshape(size, c_out).T
    dpatches = dcols.reshape(n, out_h, out_w, kh, kw, c_in)
    dx = add_windows(dpatches.transpose(0, 1, 2, 5, 3, 4), x.shape,
                     strides, padding)  # col2im
    return dx, dkernel
# --8<-- [end:conv2d_backward]
