"""Regularization: L1/L2 weight penalties, dropout and batch normalization (Keras' defaults)."""

# --8<-- [start:penalties]
import numpy as np


def l1_penalty(W, l1=0.01):
    """Keras' L1 regularizer: l1 sum(|W|). Returns (loss term, dL/dW)."""
    W = np.asarray(W)
    if W.dtype.kind == "b":  # np.sign has no loop for bool
        W = W.astype(np.int8)
    number = isinstance(l1, (int, float, np.number))
    if not (number and l1 >= 0) or np.isnan(W).any():
        raise ValueError(
            "l1_penalty expects l1 >= 0 and W without NaN; "
            f"received l1={l1!r}, "
            f"{int(np.isnan(W).sum())} NaN in W"
        )
    return l1 * np.sum(np.abs(W)), l1 * np.sign(W)


def l2_penalty(W, l2=0.01):
    """Keras' L2 regularizer: l2 sum(W^2), no 1/2.

    Returns (loss term, dL/dW)."""
    W = np.asarray(W)
    number = isinstance(l2, (int, float, np.number))
    if not (number and l2 >= 0) or np.isnan(W).any():
        raise ValueError(
            "l2_penalty expects l2 >= 0 and W without NaN; "
            f"received l2={l2!r}, "
            f"{int(np.isnan(W).sum())} NaN in W"
        )
    return l2 * np.sum(np.square(W)), 2 * l2 * W
# --8<-- [end:penalties]


# --8<-- [start:dropout]
import numpy as np


class Dropout:
    """Inverted dropout: in training, zero each input with probability
    ``rate`` and scale the others by 1 / (1 - rate)."""

    uses_training = True  # Sequential passes training=True/False to this layer

    def __init__(self, rate, rng):
        if not isinstance(rate, (int, float, np.number)) or not 0 <= rate < 1:
            raise ValueError(
                f"Dropout expects rate in [0, 1); received rate={rate!r}"
            )
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                "Dropout expects rng to be a np.random.Generator; "
                f"received {type(rng).__name__}"
            )
        self.rate, self.rng = rate, rng
        self.params, self.grads = {}, {}
        self.mask = None  # the one cache: the scaled keep-mask of the last call

    def forward(self, x, training=False):
        """x: any shape -> y: same shape. Identity unless ``training``."""
        x = np.asarray(x)
        if x.dtype.kind != "f":  # an integer x could not hold the scaling
            raise ValueError(
                f"Dropout expects a floating-point x; received dtype {x.dtype}"
            )
        if np.isnan(x).any():
            raise ValueError(
                "Dropout expects x without NaN; "
                f"received {int(np.isnan(x).sum())} NaN"
            )
        if not training or self.rate == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape) >= self.rate  # True with p = 1 - rate
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * self.mask

    def backward(self, dy):
        """dy -> dx: the same mask applied to the gradient."""
        if np.isnan(dy).any():
            raise ValueError(
                "Dropout.backward expects dy without NaN; "
                f"received {int(np.isnan(dy).sum())} NaN"
            )
        if self.mask is None:
            return dy
        if np.shape(dy) != self.mask.shape:
            raise ValueError(
                f"Dropout.backward expects dy of shape {self.mask.shape}; "
                f"received shape {np.shape(dy)}"
            )
        return dy * self.mask
# --8<-- [end:dropout]


# --8<-- [start:batchnorm]
import numpy as np


class BatchNorm:
    """Batch normalization of (batch, features) over the batch axis, like
    keras.layers.BatchNormalization; its statistics are kept in float64
    (the variance of +-1e30 overflows float32)."""

    uses_training = True  # Sequential passes training=True/False to this layer

    def __init__(self, features, momentum=0.99, epsilon=1e-3, dtype=np.float32):
        if not isinstance(features, (int, np.integer)) or features < 1:
            raise ValueError(
                "BatchNorm expects a positive integer features; "
                f"received {features!r}"
            )
        if not 0 <= momentum <= 1 or not epsilon > 0:
            raise ValueError(
                "BatchNorm expects momentum in [0, 1] and epsilon > 0; "
                f"received momentum={momentum!r}, epsilon={epsilon!r}"
            )
        if np.dtype(dtype).kind != "f":
            raise ValueError(
                "BatchNorm expects a floating-point dtype; "
                f"received dtype {np.dtype(dtype)}"
            )
        self.momentum, self.epsilon = momentum, epsilon
        self.params = {"gamma": np.ones(features, dtype),
                       "beta": np.zeros(features, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.moving_mean = np.zeros(features)
        self.moving_var = np.ones(features)
        self.cache = None

    def forward(self, x, training=False):
        """x: (batch, features) -> y: same shape. Training normalizes with
        the batch's statistics and updates the moving ones."""
        x, features = np.asarray(x), len(self.params["gamma"])
        if x.ndim != 2 or x.shape[1] != features:
            raise ValueError(
                f"BatchNorm expects x of shape (batch, {features}); "
                f"received {x.shape}"
            )
        if np.isnan(x).any() or (training and len(x) == 0):
            raise ValueError(
                "BatchNorm expects x without NaN, and at least one sample in "
                f"training; received {int(np.isnan(x).sum())} NaN, "
                f"batch of {len(x)}"
            )
        if np.isinf(x).any():
            raise ValueError(
                "BatchNorm expects finite x; "
                f"received {int(np.isinf(x).sum())} infinite entries"
            )
        if training:
            mean = x.mean(axis=0, dtype=np.float64)
            centered = x - mean
            # divided by the largest deviation: the square of 1e200 overflows
            scale = np.max(np.abs(centered), axis=0)
            scale[scale == 0] = 1
            std = scale * np.sqrt(np.mean(np.square(centered / scale), axis=0))
            inv_std = 1 / np.hypot(std, np.sqrt(self.epsilon))
            # the moving variance saturates at the largest float64
            var = np.square(np.minimum(std, np.sqrt(np.finfo(float).max)))
            rate = 1 - self.momentum
            self.moving_mean = self.momentum * self.moving_mean + rate * mean
            self.moving_var = self.momentum * self.moving_var + rate * var
        else:
            mean, var = self.moving_mean, self.moving_var
            inv_std = 1 / np.sqrt(var + self.epsilon)
        x_hat = (x - mean) * inv_std
        self.cache = (x_hat, inv_std, training)
        y = self.params["gamma"] * x_hat + self.params["beta"]
        return y.astype(x.dtype)

    def backward(self, dy):
        """dy: (batch, features) -> dx; fills grads["gamma"], grads["beta"]."""
        if self.cache is None:
            raise ValueError("BatchNorm.backward expects a forward call first")
        x_hat, inv_std, training = self.cache
        dy = np.asarray(dy)
        if dy.shape != x_hat.shape:
            raise ValueError(
                f"BatchNorm.backward expects dy of shape {x_hat.shape}; "
                f"received shape {dy.shape}"
            )
        if not np.isfinite(dy).all():
            raise ValueError(
                "BatchNorm.backward expects finite dy; received "
                f"{int(np.sum(~np.isfinite(dy)))} NaN or infinite entries"
            )
        gamma = self.params["gamma"]
        self.grads["gamma"] = np.sum(dy * x_hat, axis=0).astype(gamma.dtype)
        self.grads["beta"] = np.sum(dy, axis=0).astype(gamma.dtype)
        dx_hat = dy * gamma
        if not training:  # the statistics are constants
            return (dx_hat * inv_std).astype(dy.dtype)
        # the batch mean and variance depend on x too: their chain rule, compact
        dx = inv_std * (dx_hat - dx_hat.mean(axis=0)
                        - x_hat * np.mean(dx_hat * x_hat, axis=0))
        return dx.astype(dy.dtype)
# --8<-- [end:batchnorm]
