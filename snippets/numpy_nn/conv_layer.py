"""A convolutional layer and a flattening layer for ``Sequential``, on top of ``conv2d``: a 1-D signal is an
image one pixel high, so the same two layers build the MNIST-1D network of experiments/mnist1d.py."""

from snippets.numpy_nn.conv import check_dy, check_pair, conv2d, conv2d_backward

# isort: split
# --8<-- [start:conv_layer]
import numpy as np


class Conv2D:
    """``keras.layers.Conv2D`` with ReLU: y = relu(conv2d(x, W) + b).

    ``params = {"W": (k_h, k_w, c_in, filters), "b": (filters,)}``, ``grads``
    alike; ``forward(x)`` keeps its input, ``backward(dy)`` returns dx.
    """

    def __init__(self, c_in, filters, kernel_size, rng, strides=1,
                 padding="same", dtype=np.float32):
        fn = "Conv2D"
        check_pair(c_in, "c_in", fn), check_pair(filters, "filters", fn)
        k_h, k_w = check_pair(kernel_size, "kernel_size", fn)
        strides = check_pair(strides, "strides", fn)
        if padding not in ("valid", "same"):
            raise ValueError(f"{fn} expects padding 'valid' or 'same'; "
                             f"received {padding!r}")
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"{fn} expects rng to be a np.random.Generator; "
                             f"received {type(rng).__name__}")
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(f"{fn} expects a floating-point dtype; "
                             f"received {np.dtype(dtype)}")
        fan_in, fan_out = k_h * k_w * c_in, k_h * k_w * filters
        limit = np.sqrt(6 / (fan_in + fan_out))  # Glorot uniform, as Keras
        W = rng.uniform(-limit, limit, (k_h, k_w, c_in, filters))
        self.params = {"W": W.astype(dtype), "b": np.zeros(filters, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.strides, self.padding = strides, padding

    def forward(self, x):
        self.x = x
        z = conv2d(x, self.params["W"], self.strides, self.padding)
        self.y = np.maximum(z + self.params["b"], 0)
        return self.y

    def backward(self, dy):
        dy = check_dy(dy, self.y.shape, "Conv2D.backward")
        dz = dy * (self.y > 0)  # through the ReLU
        dx, self.grads["W"][...] = conv2d_backward(
            dz, self.x, self.params["W"], self.strides, self.padding)
        self.grads["b"][...] = dz.sum(axis=(0, 1, 2))
        return dx


class Flatten:
    """(batch, ...) -> (batch, features), and back in ``backward``."""

    params, grads = {}, {}

    def forward(self, x):
        x = np.asarray(x)
        if x.ndim < 1:
            raise ValueError("Flatten expects x of shape (batch, ...); "
                             f"received shape {x.shape}")
        self.shape = x.shape
        return x.reshape(x.shape[0], int(np.prod(x.shape[1:])))

    def backward(self, dy):
        dy = np.asarray(dy)
        expected = (self.shape[0], int(np.prod(self.shape[1:])))
        if dy.shape != expected:
            raise ValueError(
                f"Flatten.backward expects dy of shape {expected}; "
                f"received shape {dy.shape}")
        return dy.reshape(self.shape)
# --8<-- [end:conv_layer]
