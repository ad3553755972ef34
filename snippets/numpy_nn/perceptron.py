"""The perceptron: the article's function, and a class that learns its weights with the perceptron rule."""

# --8<-- [start:perceptron]
# Simple perceptron example
import numpy as np


def perceptron(inputs, weights, bias):
    # Calculate weighted sum
    weighted_sum = np.dot(inputs, weights) + bias

    # Apply activation function (step function)
    return 1 if weighted_sum > 0 else 0
# --8<-- [end:perceptron]


# --8<-- [start:learner]
import numbers

import numpy as np


class Perceptron:
    """A single neuron with a step activation, trained by Rosenblatt's rule.

    For each misclassified sample, w += lr * (y - y_hat) * x and
    b += lr * (y - y_hat). Once every sample is right, nothing changes: that
    happens only if the classes are linearly separable.

    Args:
        learning_rate: step size of each update, a positive number.
        max_epochs: passes over the data before giving up (XOR never ends).
    """

    def __init__(self, learning_rate=0.1, max_epochs=100):
        if (not isinstance(learning_rate, numbers.Real)
                or isinstance(learning_rate, bool)
                or not 0 < learning_rate < np.inf):
            raise ValueError(
                "Perceptron expects a positive, finite learning_rate; "
                f"received learning_rate={learning_rate!r}"
            )
        if (not isinstance(max_epochs, numbers.Integral)
                or isinstance(max_epochs, bool) or max_epochs < 1):
            raise ValueError(
                "Perceptron expects an integer max_epochs >= 1; "
                f"received max_epochs={max_epochs!r}"
            )
        self.learning_rate = float(learning_rate)
        self.max_epochs = int(max_epochs)
        self.weights = None
        self.bias = 0.0
        self.errors_per_epoch = []

    def fit(self, x, y):
        """Learn weights from examples.

        Args:
            x: (num_samples, num_features), finite numbers.
            y: (num_samples,) labels, each 0 or 1.

        Returns:
            self, with ``errors_per_epoch`` filled.
        """
        x = _samples("fit", x)
        y = np.asarray(y)
        if y.shape != (x.shape[0],):
            raise ValueError(
                f"fit expects y of shape ({x.shape[0]},) to match x; "
                f"received shape {y.shape}"
            )
        if not np.isin(y, (0, 1)).all():
            raise ValueError(
                f"fit expects labels 0 or 1; received {np.unique(y)[:5]}"
            )
        self.weights = np.zeros(x.shape[1])
        self.bias = 0.0
        self.errors_per_epoch = []
        for _ in range(self.max_epochs):
            errors = 0
            for x_i, y_i in zip(x, y, strict=True):
                y_hat = int(x_i @ self.weights + self.bias > 0)
                update = self.learning_rate * (y_i - y_hat)
                self.weights += update * x_i
                self.bias += update
                errors += int(update != 0)
            self.errors_per_epoch.append(errors)
            if errors == 0:
                break
        return self

    def predict(self, x):
        """0/1 predictions, one per row of x (num_samples, num_features)."""
        if self.weights is None:
            raise ValueError("predict called before fit: no weights yet")
        x = _samples("predict", x, self.weights.shape[0])
        return (x @ self.weights + self.bias > 0).astype(int)


def _samples(name, x, num_features=None):
    """x as a float64 (num_samples, num_features) array of finite numbers."""
    x = np.asarray(x)
    features = "num_features" if num_features is None else num_features
    if (x.ndim != 2 or x.shape[0] == 0
            or (num_features is not None and x.shape[1] != num_features)):
        raise ValueError(
            f"{name} expects x of shape (num_samples, {features}) with at "
            f"least one sample; received shape {x.shape}"
        )
    if x.dtype.kind not in "iubf" or not np.isfinite(x).all():
        raise ValueError(
            f"{name} expects finite numbers in x; received dtype {x.dtype}"
            + (" with NaN or inf" if x.dtype.kind == "f" else "")
        )
    return x.astype(np.float64)
# --8<-- [end:learner]
