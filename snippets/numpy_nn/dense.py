"""A fully connected (dense) layer: y = x W + b, with Keras' kernel layout (d_in, units)."""

# --8<-- [start:dense]
import numpy as np


class Dense:
    """Fully connected layer: y = x W + b.

    ``params = {"W": (d_in, units), "b": (units,)}``, ``grads`` the same keys.
    """

    def __init__(self, d_in, units, rng, kernel_initializer=None,
                 dtype=np.float32):
        """Validate sizes and draw the weights.

        Args:
            d_in: number of input features.
            units: number of output features.
            rng: np.random.Generator used for the kernel.
            kernel_initializer: ``f(shape, rng) -> array``, or None for
                Keras' default glorot_uniform.
            dtype: float32, or float64 for gradient checks.
        """
        for name, value in (("d_in", d_in), ("units", units)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(
                    f"Dense expects a positive integer {name}; "
                    f"received {name}={value!r}"
                )
        generator = isinstance(rng, np.random.Generator)
        if np.dtype(dtype).kind != "f" or not generator:
            raise ValueError(
                "Dense expects a float dtype and a np.random.Generator rng; "
                f"received dtype={dtype!r}, rng={type(rng).__name__}"
            )
        if kernel_initializer is None:  # glorot_uniform
            limit = np.sqrt(6 / (d_in + units))
            W = rng.uniform(-limit, limit, size=(d_in, units))
        else:
            W = kernel_initializer((d_in, units), rng)
        self.params = {"W": np.asarray(W, dtype), "b": np.zeros(units, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = None  # the one cache: the last input

    def forward(self, x):
        """x: (batch, d_in) -> y: (batch, units)."""
        x, W, b = np.asarray(x), self.params["W"], self.params["b"]
        if x.ndim != 2 or x.shape[1] != W.shape[0]:
            raise ValueError(
                f"Dense expects x of shape (batch, {W.shape[0]}); "
                f"received shape {x.shape}"
            )
        if x.dtype != W.dtype:
            raise ValueError(
                f"Dense expects x of dtype {W.dtype} like its weights; "
                f"received dtype {x.dtype}"
            )
        if np.isnan(x).any():
            raise ValueError(f"Dense expects x without NaN; received "
                             f"{int(np.isnan(x).sum())} NaN")
        if np.isinf(x).any():  # inf * w + -inf * w' would be NaN
            raise ValueError(f"Dense expects finite x; received "
                             f"{int(np.isinf(x).sum())} inf")
        self.x = x
        return x @ W + b

    def backward(self, dy):
        """dy: (batch, units) -> dx: (batch, d_in); fills grads."""
        if self.x is None:
            raise ValueError(
                "Dense.backward expects a forward call first; "
                "received no cached input"
            )
        dy = np.asarray(dy)
        expected = (len(self.x), self.params["W"].shape[1])
        if dy.shape != expected or not np.isfinite(dy).all():
            raise ValueError(
                f"Dense.backward expects a finite dy of shape {expected}; "
                f"received shape {dy.shape}"
                + ("" if dy.shape != expected else " with NaN or inf")
            )
        self.grads["W"] = self.x.T @ dy  # dL/dW = x^T dy
        self.grads["b"] = dy.sum(axis=0)  # dL/db = the column sums of dy
        return dy @ self.params["W"].T  # dL/dx = dy W^T
# --8<-- [end:dense]
