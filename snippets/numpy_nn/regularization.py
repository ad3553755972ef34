"""Regularization: L1/L2 weight penalties, dropout and batch normalization (Keras' defaults)."""

# --8<-- [start:penalties]
import numpy as np


def l1_penalty(W, l1=0.01):
    """Keras' L1 regularizer: l1 * sum(|W|). Returns (loss term, dL/dW)."""
    return l1 * np.sum(np.abs(W)), l1 * np.sign(W)


def l2_penalty(W, l2=0.01):
    """Keras' L2 regularizer: l2 * sum(W^2) (no 1/2). Returns (loss term, dL/dW)."""
    return l2 * np.sum(np.square(W)), 2 * l2 * W
# --8<-- [end:penalties]


# --8<-- [start:dropout]
import numpy as np


class Dropout:
    """Inverted dropout: in training zero each input with probability ``rate`` and scale the rest by 1/(1 - rate)."""

    uses_training = True  # Sequential passes training=True/False to layers that have this flag

    def __init__(self, rate, rng):
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout expects rate in [0, 1); received rate={rate!r}")
        self.rate = rate
        # Each element gets 32 random bits, read as an unsigned integer, and is kept when they fall below
        # (1 - rate) 2^32: a probability of 1 - rate to within 2^-32. NumPy's SFC64 bit generator, seeded from
        # rng, yields such bits in under half the time rng.random takes for float32 draws.
        self.bits = np.random.SFC64(rng.integers(2**63))
        self.threshold = np.uint32(min(round((1 - rate) * 2**32), 2**32 - 1))
        self.params, self.grads = {}, {}
        self.mask = None  # the one cache: the scaled keep-mask of the last training call

    def forward(self, x, training=False):
        """x: any shape -> y: same shape. Identity unless ``training``."""
        x = np.asarray(x)
        if x.dtype.kind != "f":  # an integer x could not hold the 1 / (1 - rate) scaling
            raise ValueError(f"Dropout expects a floating-point x; received dtype {x.dtype}")
        if not training or self.rate == 0:
            self.mask = None
            return x
        words = self.bits.random_raw((x.size + 1) // 2)  # 64 random bits each: two 32-bit draws
        keep = words.view(np.uint32)[: x.size].reshape(x.shape) < self.threshold
        self.mask = keep * x.dtype.type(1 / (1 - self.rate))
        return x * self.mask

    def backward(self, dy):
        """dy -> dx: the same mask applied to the gradient."""
        return dy if self.mask is None else dy * self.mask
# --8<-- [end:dropout]


# --8<-- [start:batch_norm]
import numpy as np


class BatchNorm:
    """Batch normalization over the batch axis of (batch, features), like keras.layers.BatchNormalization."""

    uses_training = True

    def __init__(self, features, momentum=0.99, epsilon=1e-3, dtype=np.float32):
        if not isinstance(features, (int, np.integer)) or features < 1:
            raise ValueError(f"BatchNorm expects a positive integer features; received {features!r}")
        self.momentum, self.epsilon = momentum, epsilon
        self.params = {"gamma": np.ones(features, dtype), "beta": np.zeros(features, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.moving_mean = np.zeros(features, dtype)
        self.moving_var = np.ones(features, dtype)
        self.cache = None

    def forward(self, x, training=False):
        """x: (batch, features) -> y: same shape; training uses batch statistics and updates the moving ones."""
        if x.ndim != 2 or x.shape[1] != self.params["gamma"].shape[0]:
            raise ValueError(
                f"BatchNorm expects x of shape (batch, {self.params['gamma'].shape[0]}); received {x.shape}"
            )
        if training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            self.moving_mean = self.momentum * self.moving_mean + (1 - self.momentum) * mean
            self.moving_var = self.momentum * self.moving_var + (1 - self.momentum) * var
        else:
            mean, var = self.moving_mean, self.moving_var
        inv_std = 1 / np.sqrt(var + self.epsilon)
        x_hat = (x - mean) * inv_std
        self.cache = (x_hat, inv_std, training)
        return self.params["gamma"] * x_hat + self.params["beta"]

    def backward(self, dy):
        """dy: (batch, features) -> dx; fills grads["gamma"], grads["beta"]."""
        x_hat, inv_std, training = self.cache
        self.grads["gamma"][...] = np.sum(dy * x_hat, axis=0)
        self.grads["beta"][...] = np.sum(dy, axis=0)
        dx_hat = dy * self.params["gamma"]
        if not training:  # the statistics are constants
            return dx_hat * inv_std
        # the mean and variance depend on x too; this is the compact form of their chain rule
        return inv_std * (dx_hat - dx_hat.mean(axis=0) - x_hat * np.mean(dx_hat * x_hat, axis=0))
# --8<-- [end:batch_norm]
