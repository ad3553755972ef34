"""Loss functions and their gradients, each equal to the matching ``keras.losses`` class.

Every loss returns the mean over the batch (Keras' ``sum_over_batch_size`` reduction) in the
prediction's dtype; every ``*_backward(y_true, y_pred)`` returns dL/dy_pred and makes the same
checks as its forward pass. The one sigmoid and the one log-softmax of the package come from
``activations.py`` (the pages show those sections above the losses).
"""

from snippets.numpy_nn.activations import log_softmax, sigmoid

# isort: split
# --8<-- [start:checks]
import numpy as np

EPSILON = 1e-7  # keras.backend.epsilon(): probabilities are clipped to
#                 [EPSILON, 1 - EPSILON] before taking their log


def _clip(p):
    """p clipped to [EPSILON, 1 - EPSILON], in float32 at least.

    float16 cannot hold 1 - 1e-7 (it rounds to 1, and log(1 - 1) = -inf).
    """
    p = p.astype(np.promote_types(p.dtype, np.float32))
    return np.clip(p, EPSILON, 1 - EPSILON)


def _check_y_pred(name, y_pred):
    """y_pred as a non-empty float array with a batch axis, all finite."""
    y_pred = np.asarray(y_pred)
    if y_pred.dtype.kind != "f":
        raise ValueError(
            f"{name} expects y_pred of a float dtype; "
            f"received dtype {y_pred.dtype}"
        )
    if y_pred.ndim == 0 or y_pred.size == 0:
        raise ValueError(
            f"{name} expects a batch of at least one sample, "
            f"y_pred of shape (batch, ...); received shape {y_pred.shape}"
        )
    bad = int(np.sum(~np.isfinite(y_pred)))
    if bad:  # an infinite logit means an overflow upstream
        raise ValueError(
            f"{name} expects y_pred without NaN or inf; "
            f"received {bad} non-finite values"
        )
    return y_pred


def _check_pair(name, y_true, y_pred):
    """y_true and y_pred as arrays of one shape (y_pred checked as above)."""
    y_pred = _check_y_pred(name, y_pred)
    y_true = np.asarray(y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{name} expects y_true and y_pred of one shape; "
            f"received {y_true.shape} and {y_pred.shape}"
        )
    if y_true.dtype.kind not in "iubf" or not np.isfinite(1.0 * y_true).all():
        raise ValueError(
            f"{name} expects numeric y_true without NaN or inf; "
            f"received dtype {y_true.dtype}"
        )
    return y_true, y_pred


def _check_probabilities(name, what, p):
    """ValueError unless every entry of p lies in [0, 1]."""
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"{name} expects {what} in [0, 1]; "
            f"received values in [{p.min()}, {p.max()}]"
        )


def _check_labels(name, labels, y_pred):
    """Integer class labels, one per row of y_pred, in [0, num_classes)."""
    labels = np.asarray(labels)
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"{name} expects labels of shape {y_pred.shape[:-1]} for "
            f"y_pred of shape {y_pred.shape}; "
            f"received labels of shape {labels.shape}"
        )
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):  # NaN fails this too
            raise ValueError(
                f"{name} expects integer class labels; "
                f"received non-integer or NaN floats"
            )
    elif labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name} expects integer labels; received dtype {labels.dtype}"
        )
    num_classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} expects labels in [0, {num_classes - 1}]; "
            f"received values in [{labels.min()}, {labels.max()}]"
        )
    return labels.astype(np.intp)
# --8<-- [end:checks]


# --8<-- [start:mse]
import numpy as np


def mse(y_true, y_pred):
    """Mean squared error over every element.

    Args:
        y_true, y_pred: arrays of one shape (batch, ...).

    Returns:
        Scalar loss.
    """
    y_true, y_pred = _check_pair("mse", y_true, y_pred)
    return np.mean(np.square(y_pred - y_true.astype(y_pred.dtype)))


def mse_backward(y_true, y_pred):
    """dL/dy_pred of ``mse``: 2 (y_pred - y_true) / n, shaped like y_pred."""
    y_true, y_pred = _check_pair("mse_backward", y_true, y_pred)
    return 2 * (y_pred - y_true.astype(y_pred.dtype)) / y_pred.size
# --8<-- [end:mse]


# --8<-- [start:binary_cross_entropy]
import numpy as np


def binary_cross_entropy(y_true, y_pred, from_logits=False):
    """Binary cross-entropy, mean over every element.

    Args:
        y_true: targets in [0, 1], shape (batch, ...).
        y_pred: probabilities in [0, 1], or logits if ``from_logits``;
            same shape.

    Returns:
        Scalar loss.
    """
    name = "binary_cross_entropy"
    y_true, y_pred = _check_pair(name, y_true, y_pred)
    _check_probabilities(name, "y_true", y_true)
    y = y_true.astype(y_pred.dtype)
    if from_logits:
        # max(z, 0) - z y + log(1 + exp(-|z|)): exp never overflows
        z = y_pred
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    _check_probabilities(
        name, "probabilities y_pred (or pass from_logits=True)", y_pred
    )
    p = _clip(y_pred)  # log(0) would be -inf
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss.astype(y_pred.dtype)


def binary_cross_entropy_backward(y_true, y_pred, from_logits=False):
    """dL/dy_pred of ``binary_cross_entropy``, shaped like y_pred."""
    name = "binary_cross_entropy_backward"
    y_true, y_pred = _check_pair(name, y_true, y_pred)
    _check_probabilities(name, "y_true", y_true)
    y = y_true.astype(y_pred.dtype)
    if from_logits:
        return (sigmoid(y_pred) - y) / y_pred.size
    _check_probabilities(
        name, "probabilities y_pred (or pass from_logits=True)", y_pred
    )
    p = _clip(y_pred)
    grad = (p - y) / (p * (1 - p)) / y_pred.size
    inside = p == y_pred.astype(p.dtype)  # the clip passes no gradient
    return np.where(inside, grad, 0).astype(y_pred.dtype)
# --8<-- [end:binary_cross_entropy]


# --8<-- [start:categorical_cross_entropy]
import numpy as np


def categorical_cross_entropy(y_true, y_pred, from_logits=False):
    """Cross-entropy with one-hot (or soft) targets, mean over the batch.

    Args:
        y_true: one-hot targets, shape (batch, num_classes).
        y_pred: probabilities (rows summing to 1), or logits if
            ``from_logits``; same shape.

    Returns:
        Scalar loss.
    """
    name = "categorical_cross_entropy"
    y_true, y_pred = _check_pair(name, y_true, y_pred)
    _check_probabilities(name, "one-hot y_true", y_true)
    t = y_true.astype(y_pred.dtype)
    if from_logits:
        return -np.mean(np.sum(t * log_softmax(y_pred), axis=-1))
    _check_probabilities(
        name, "probabilities y_pred (or pass from_logits=True)", y_pred
    )
    q = _clip(y_pred / np.sum(y_pred, axis=-1, keepdims=True))
    loss = -np.mean(np.sum(t * np.log(q), axis=-1))  # Keras renormalises
    return loss.astype(y_pred.dtype)


def categorical_cross_entropy_backward(y_true, y_pred, from_logits=False):
    """dL/dy_pred of ``categorical_cross_entropy``, shaped like y_pred."""
    name = "categorical_cross_entropy_backward"
    y_true, y_pred = _check_pair(name, y_true, y_pred)
    _check_probabilities(name, "one-hot y_true", y_true)
    t = y_true.astype(y_pred.dtype)
    n = y_pred.size // y_pred.shape[-1]  # the number of samples
    if from_logits:
        s = np.exp(log_softmax(y_pred))  # softmax
        return (s * np.sum(t, axis=-1, keepdims=True) - t) / n
    _check_probabilities(
        name, "probabilities y_pred (or pass from_logits=True)", y_pred
    )
    total = np.sum(y_pred, axis=-1, keepdims=True)
    q = y_pred / total
    clipped = _clip(q)
    dq = np.where(clipped == q, -t / clipped, 0)  # dL/dq, 0 where clipped
    # through q = p / sum(p): dL/dp_j = (dL/dq_j - sum_i dL/dq_i q_i) / sum(p)
    dp = (dq - np.sum(dq * q, axis=-1, keepdims=True)) / total
    return (dp / n).astype(y_pred.dtype)
# --8<-- [end:categorical_cross_entropy]


# --8<-- [start:sparse_categorical_cross_entropy]
import numpy as np


def sparse_categorical_cross_entropy(y_true, y_pred, from_logits=False):
    """Cross-entropy with integer class labels, mean over the batch.

    Args:
        y_true: integer labels in [0, num_classes), shape (batch,).
        y_pred: probabilities, or logits if ``from_logits``,
            shape (batch, num_classes).

    Returns:
        Scalar loss.
    """
    name = "sparse_categorical_cross_entropy"
    y_pred = _check_y_pred(name, y_pred)
    labels = _check_labels(name, y_true, y_pred)
    logits = y_pred
    if not from_logits:
        _check_probabilities(name, "probabilities y_pred", y_pred)
        logits = np.log(_clip(y_pred))  # Keras treats log p as logits
    log_p = log_softmax(logits)
    picked = np.take_along_axis(log_p, labels[..., None], axis=-1)
    return (-np.mean(picked)).astype(y_pred.dtype)


def sparse_categorical_cross_entropy_backward(y_true, y_pred,
                                              from_logits=False):
    """dL/dy_pred of ``sparse_categorical_cross_entropy``, y_pred's shape."""
    name = "sparse_categorical_cross_entropy_backward"
    y_pred = _check_y_pred(name, y_pred)
    labels = _check_labels(name, y_true, y_pred)
    one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.dtype)[labels]
    n = labels.size
    if from_logits:
        return (np.exp(log_softmax(y_pred)) - one_hot) / n
    _check_probabilities(name, "probabilities y_pred", y_pred)
    p = _clip(y_pred)
    # L = log(sum(p)) - log(p_label): dL/dp = 1 / sum(p) - one_hot / p
    grad = 1 / np.sum(p, axis=-1, keepdims=True) - one_hot / p
    inside = p == y_pred.astype(p.dtype)  # the clip passes no gradient
    return (np.where(inside, grad, 0) / n).astype(y_pred.dtype)


def sparse_categorical_cross_entropy_with_grad(y_true, logits):
    """Loss and dL/dlogits from logits in one pass, as a training step needs.

    Args:
        y_true: integer labels in [0, num_classes), shape (batch,).
        logits: shape (batch, num_classes).

    Returns:
        (loss, grad), grad shaped like logits.
    """
    name = "sparse_categorical_cross_entropy_with_grad"
    logits = _check_y_pred(name, logits)
    labels = _check_labels(name, y_true, logits)
    log_p = log_softmax(logits)
    loss = -np.mean(np.take_along_axis(log_p, labels[..., None], axis=-1))
    one_hot = np.eye(logits.shape[-1], dtype=logits.dtype)[labels]
    return loss, (np.exp(log_p) - one_hot) / labels.size
# --8<-- [end:sparse_categorical_cross_entropy]
