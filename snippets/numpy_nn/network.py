"""A small Sequential model of layer objects: ``fit`` / ``predict`` / ``evaluate``, early stopping."""

from snippets.numpy_nn.dense import Dense

# isort: split
# --8<-- [start:activation_layer]
import numpy as np


class Activation:
    """A layer without parameters: y = f(x), dx = f_backward(dy, x)."""

    def __init__(self, f, f_backward):
        if not callable(f) or not callable(f_backward):
            raise ValueError(
                "Activation expects two functions f(x) and f_backward(dy, x); "
                f"received {type(f).__name__} and {type(f_backward).__name__}"
            )
        self.f, self.f_backward = f, f_backward
        self.params, self.grads = {}, {}
        self.x = None  # the one cache: the last input

    def forward(self, x):
        self.x = x
        return self.f(x)

    def backward(self, dy):
        if self.x is None:
            raise ValueError(
                "Activation.backward expects a forward call first; "
                "received no cached input"
            )
        if np.shape(dy) != np.shape(self.x):
            raise ValueError(
                f"Activation.backward expects dy of shape {np.shape(self.x)}; "
                f"received shape {np.shape(dy)}"
            )
        return self.f_backward(dy, self.x)
# --8<-- [end:activation_layer]


# --8<-- [start:sequential]
import numpy as np


class Sequential:
    """Layers applied in order, trained by minibatch gradient descent.

    Args:
        layers: objects with ``params`` and ``grads`` dicts, ``forward(x)``
            and ``backward(dy)``; a layer with ``uses_training = True`` gets
            ``forward(x, training)`` (dropout, batch normalization).
        loss: ``loss(y, y_hat) -> scalar``, on the last layer's outputs.
        loss_backward: ``loss_backward(y, y_hat) -> dL/dy_hat``.
    """

    def __init__(self, layers, loss, loss_backward):
        if not callable(loss) or not callable(loss_backward):
            raise ValueError(
                "Sequential expects the functions loss(y, y_hat) and "
                f"loss_backward(y, y_hat); received {type(loss).__name__} "
                f"and {type(loss_backward).__name__}"
            )
        self.layers = list(layers)
        for layer in self.layers:
            needed = ("forward", "backward", "params", "grads")
            if not all(hasattr(layer, name) for name in needed):
                raise ValueError(
                    "Sequential expects layers with forward, backward, params "
                    f"and grads; received {type(layer).__name__}"
                )
        self.loss, self.loss_backward = loss, loss_backward

    @property
    def params(self):
        """Every layer's parameters in one dict, keyed "<layer>.<name>"."""
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.params.items()}

    @property
    def grads(self):
        """The gradients, with the keys of ``params``."""
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.grads.items()}

    def forward(self, x, training=False):
        for layer in self.layers:
            if getattr(layer, "uses_training", False):
                x = layer.forward(x, training=training)
            else:
                x = layer.forward(x)
        return x

    def backward(self, dy):
        """dL/d(output) -> dL/d(input); fills every layer's grads."""
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy

    def train_step(self, x, y, optimizer):
        """Forward pass, backward pass, optimizer step. Returns the loss."""
        y_hat = self.forward(x, training=True)
        loss = self.loss(y, y_hat)
        self.backward(self.loss_backward(y, y_hat))
        optimizer.step(self.params, self.grads)
        return float(loss)

    def predict(self, x, batch_size=1024):
        """The last layer's outputs (logits for a classifier), in batches."""
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(
                "predict expects a positive integer batch_size; "
                f"received batch_size={batch_size!r}"
            )
        x = np.asarray(x)
        if x.ndim < 2 or x.dtype.kind not in "biuf":
            raise ValueError(
                "predict expects a numeric x of shape (samples, ...); "
                f"received shape {x.shape}, dtype {x.dtype}"
            )
        starts = range(0, max(len(x), 1), batch_size)
        return np.concatenate([self.forward(x[i : i + batch_size])
                               for i in starts])

    def evaluate(self, x, y):
        """(loss, accuracy); accuracy of the argmax when y holds integer
        class labels, else NaN."""
        y_hat, y = self.predict(x), np.asarray(y)
        loss = float(self.loss(y, y_hat))
        labels = y.dtype.kind in "iu" and y.shape == y_hat.shape[:1]
        if not labels or y_hat.ndim != 2:
            return loss, float("nan")
        return loss, float(np.mean(np.argmax(y_hat, axis=-1) == y))

    def fit(self, x, y, optimizer, epochs, batch_size, rng,
            validation_data=None, patience=None):
        """Train on shuffled minibatches. With ``patience``, stop once the
        validation loss has not improved for that many epochs and restore the
        best weights (Keras' EarlyStopping(restore_best_weights=True)).

        Returns:
            History dict of per-epoch lists: "loss", "val_loss", "val_accuracy".
        """
        x, y = np.asarray(x), np.asarray(y)
        sizes = {"epochs": epochs, "batch_size": batch_size,
                 "patience": patience}
        for key, value in sizes.items():
            if value is None and key == "patience":
                continue
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(
                    f"fit expects a positive integer {key}; "
                    f"received {key}={value!r}"
                )
        if not isinstance(rng, np.random.Generator):
            raise ValueError(
                "fit expects rng to be a np.random.Generator; "
                f"received {type(rng).__name__}"
            )
        if x.ndim == 0 or len(x) == 0 or len(x) != len(y):
            raise ValueError(
                "fit expects as many labels as samples, at least one; "
                f"received {len(np.atleast_1d(x))} samples and "
                f"{len(np.atleast_1d(y))} labels"
            )
        if not callable(getattr(optimizer, "step", None)):
            raise ValueError(
                "fit expects an optimizer with a step method; "
                f"received {type(optimizer).__name__}"
            )
        pair = isinstance(validation_data, (tuple, list))
        if validation_data is not None and not (
                pair and len(validation_data) == 2):
            raise ValueError(
                "fit expects validation_data as a pair (x, y); received "
                f"{type(validation_data).__name__} of "
                f"{len(validation_data) if pair else 1} items"
            )
        if patience is not None and validation_data is None:
            raise ValueError(
                "fit expects validation_data when patience is set; "
                "received none"
            )
        history = {"loss": [], "val_loss": [], "val_accuracy": []}
        best, best_params, waited = np.inf, None, 0
        for _ in range(epochs):
            order = rng.permutation(len(x))
            batch_losses = []
            for i in range(0, len(x), batch_size):
                batch = order[i : i + batch_size]
                loss = self.train_step(x[batch], y[batch], optimizer)
                batch_losses.append(loss)
            history["loss"].append(float(np.mean(batch_losses)))
            if validation_data is None:
                continue
            val_loss, val_accuracy = self.evaluate(*validation_data)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_accuracy)
            if patience is None:
                continue
            if val_loss < best:
                best, waited = val_loss, 0
                best_params = {k: v.copy() for k, v in self.params.items()}
            else:
                waited += 1
                if waited >= patience:
                    break
        if best_params is not None:
            for key, value in self.params.items():
                value[...] = best_params[key]
        return history
# --8<-- [end:sequential]


# --8<-- [start:mlp]
import numpy as np


def mlp(sizes, rng, dtype=np.float32):
    """A multi-layer perceptron: Dense and ReLU for every hidden layer, then
    a linear output layer (its outputs are logits).

    Args:
        sizes: layer widths from input to output, e.g. [64, 128, 64, 10].
        rng: np.random.Generator for the weights.

    Returns:
        A list of layers for ``Sequential``.
    """
    if len(sizes) < 2:
        raise ValueError(
            "mlp expects at least an input and an output size; "
            f"received sizes={sizes!r}"
        )
    layers = []
    for d_in, units in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers.append(Dense(d_in, units, rng, dtype=dtype))
        layers.append(Activation(lambda x: np.maximum(x, 0),  # ReLU
                                 lambda dy, x: dy * (x > 0)))  # and backward
    layers.append(Dense(sizes[-2], sizes[-1], rng, dtype=dtype))
    return layers
# --8<-- [end:mlp]


def classifier(layers):
    """``Sequential(layers, ...)`` trained with sparse categorical cross-entropy on logits, the loss that the
    figures' digits classifiers use (pages spell the two functions out)."""
    from functools import partial

    from snippets.numpy_nn import losses

    return Sequential(
        layers,
        partial(losses.sparse_categorical_cross_entropy, from_logits=True),
        partial(losses.sparse_categorical_cross_entropy_backward, from_logits=True),
    )
