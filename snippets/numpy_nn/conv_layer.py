"""A convolutional layer and a flattening layer for ``Sequential``, on top of ``conv2d``: a 1-D signal is an
image one pixel high, so the same two layers build the MNIST-1D network of experiments/mnist1d.py."""

from snippets.numpy_nn.conv import conv2d, conv2d_backward

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
        k_h, k_w = kernel_size
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
        dz = dy * (self.y > 0)  # through the ReLU
        dx, self.grads["W"][...] = conv2d_backward(
            dz, self.x, self.params["W"], self.strides, self.padding)
        self.grads["b"][...] = dz.sum(axis=(0, 1, 2))
        return dx


class Flatten:
    """(batch, ...) -> (batch, features), and back in ``backward``."""

    params, grads = {}, {}

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dy):
        return dy.reshape(self.shape)
# --8<-- [end:conv_layer]
