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
import numpy as np  # noqa: E402  (repeated so this section runs when copied alone)


class Perceptron:
    """A single neuron with a step activation, trained by Rosenblatt's rule.

    For each misclassified sample, w += lr * (y - y_hat) * x and b += lr * (y - y_hat). The rule stops changing
    the weights once every sample is right, which happens only if the classes are linearly separable.

    Args:
        learning_rate: step size of each update.
        max_epochs: passes over the data before giving up (it never converges on XOR).
    """

    def __init__(self, learning_rate=0.1, max_epochs=100):
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive; received learning_rate={learning_rate}")
        if int(max_epochs) < 1:
            raise ValueError(f"max_epochs must be at least 1; received max_epochs={max_epochs}")
        self.learning_rate = learning_rate
        self.max_epochs = int(max_epochs)
        self.weights = None
        self.bias = 0.0
        self.errors_per_epoch = []

    def fit(self, x, y):
        """Learn weights from x of shape (num_samples, num_features) and 0/1 labels y of shape (num_samples,)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y)
        if x.ndim != 2:
            raise ValueError(f"fit expects x of shape (num_samples, num_features); received shape {x.shape}")
        if y.shape != (x.shape[0],):
            raise ValueError(f"fit expects y of shape ({x.shape[0]},) to match x; received shape {y.shape}")
        if not np.isin(y, (0, 1)).all():
            raise ValueError(f"fit expects labels 0 or 1; received values {np.unique(y)[:5]}")
        self.weights = np.zeros(x.shape[1])
        self.bias = 0.0
        self.errors_per_epoch = []
        for _ in range(self.max_epochs):
            errors = 0
            for x_i, y_i in zip(x, y, strict=True):
                update = self.learning_rate * (y_i - self.predict(x_i[None])[0])
                self.weights += update * x_i
                self.bias += update
                errors += int(update != 0)
            self.errors_per_epoch.append(errors)
            if errors == 0:
                break
        return self

    def predict(self, x):
        """0/1 predictions for x of shape (num_samples, num_features)."""
        if self.weights is None:
            raise ValueError("predict called before fit: the perceptron has no weights yet")
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.weights.shape[0]:
            raise ValueError(
                f"predict expects x of shape (num_samples, {self.weights.shape[0]}); received shape {x.shape}"
            )
        return (x @ self.weights + self.bias > 0).astype(int)
# --8<-- [end:learner]
