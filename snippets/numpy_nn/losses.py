"""Loss functions and their gradients, each equal to the matching ``keras.losses`` class.

Every loss returns the mean over the batch (Keras' ``sum_over_batch_size`` reduction) as a 0-d
array of the prediction's dtype; every ``*_backward(y_true, y_pred)`` returns dL/dy_pred.
"""

# --8<-- [start:checks]
import numpy as np

EPSILON = 1e-7  # keras.backend.epsilon(): how far probabilities are clipped away from 0 and 1


def _check_pair(name, y_true, y_pred, same_shape=True):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if not np.issubdtype(y_pred.dtype, np.floating):
        raise ValueError(f"{name} expects y_pred of a float dtype; received dtype {y_pred.dtype}")
    if y_pred.ndim == 0:
        raise ValueError(f"{name} expects y_pred with a batch axis; received a scalar")
    if same_shape and y_true.shape != y_pred.shape:
        raise ValueError(
            f"{name} expects y_true and y_pred of one shape; received {y_true.shape} and {y_pred.shape}"
        )
    if not (np.issubdtype(y_true.dtype, np.floating) or np.issubdtype(y_true.dtype, np.integer)):
        raise ValueError(f"{name} expects numeric y_true; received dtype {y_true.dtype}")
    if np.isnan(y_pred).any():
        raise ValueError(f"{name} expects y_pred without NaN; received {int(np.isnan(y_pred).sum())} NaN")
    return y_true, y_pred


def _check_probabilities(name, what, p):
    if np.isnan(p).any() or p.min(initial=0) < 0 or p.max(initial=0) > 1:
        raise ValueError(
            f"{name} expects {what} in [0, 1]; received values in [{np.min(p)}, {np.max(p)}]"
        )


def _check_labels(name, labels, y_pred):
    labels = np.asarray(labels)
    if y_pred.ndim < 1 or labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"{name} expects integer labels of shape {y_pred.shape[:-1]} for y_pred of shape "
            f"{y_pred.shape}; received labels of shape {labels.shape}"
        )
    if np.issubdtype(labels.dtype, np.floating):
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError(f"{name} expects integer class labels; received non-integer or NaN floats")
    elif not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} expects integer labels; received dtype {labels.dtype}")
    num_classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} expects labels in [0, {num_classes - 1}]; received values in "
            f"[{labels.min()}, {labels.max()}]"
        )
    return labels.astype(np.intp)
def _log_softmax(z, axis=-1):
    """log(softmax(z)) along ``axis``, computed by log-sum-exp so it never overflows."""
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
# --8<-- [end:checks]


# --8<-- [start:mse]
import numpy as np


def mse(y_true, y_pred):
    """Mean squared error over every element. y_true, y_pred: (batch, ...). Returns a scalar."""
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
        y_pred: probabilities in [0, 1], or logits if ``from_logits``; same shape.

    Returns:
        Scalar loss.
    """
    y_true, y_pred = _check_pair("binary_cross_entropy", y_true, y_pred)
    _check_probabilities("binary_cross_entropy", "y_true", y_true)
    y = y_true.astype(y_pred.dtype)
    if from_logits:
        # log(1 + exp(-|z|)) never overflows; max(z, 0) - z y restores the sign.
        z = y_pred
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    _check_probabilities("binary_cross_entropy", "probabilities y_pred (or pass from_logits=True)", y_pred)
    p = np.clip(y_pred, EPSILON, 1 - EPSILON)  # log(0) would be -inf
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def binary_cross_entropy_backward(y_true, y_pred, from_logits=False):
    """dL/dy_pred of ``binary_cross_entropy``, shaped like y_pred."""
    y_true, y_pred = _check_pair("binary_cross_entropy_backward", y_true, y_pred)
    y = y_true.astype(y_pred.dtype)
    if from_logits:
        z = y_pred
        sig = np.exp(-np.logaddexp(0, -z)).astype(z.dtype)  # sigmoid without overflow
        return (sig - y) / z.size
    p = np.clip(y_pred, EPSILON, 1 - EPSILON)
    inside = (y_pred >= EPSILON) & (y_pred <= 1 - EPSILON)  # the clip passes no gradient outside
    return np.where(inside, (p - y) / (p * (1 - p)), 0).astype(y_pred.dtype) / y_pred.size
# --8<-- [end:binary_cross_entropy]


# --8<-- [start:categorical_cross_entropy]
import numpy as np


def categorical_cross_entropy(y_true, y_pred, from_logits=False):
    """Cross-entropy with one-hot (or soft) targets, mean over the batch.

    Args:
        y_true: one-hot targets, shape (batch, num_classes).
        y_pred: probabilities (rows summing to 1), or logits if ``from_logits``; same shape.

    Returns:
        Scalar loss.
    """
    y_true, y_pred = _check_pair("categorical_cross_entropy", y_true, y_pred)
    _check_probabilities("categorical_cross_entropy", "one-hot y_true", y_true)
    t = y_true.astype(y_pred.dtype)
    if from_logits:
        return -np.mean(np.sum(t * _log_softmax(y_pred), axis=-1))
    _check_probabilities("categorical_cross_entropy", "probabilities y_pred (or pass from_logits=True)", y_pred)
    q = y_pred / np.sum(y_pred, axis=-1, keepdims=True)  # Keras renormalises first
    q = np.clip(q, EPSILON, 1 - EPSILON)
    return -np.mean(np.sum(t * np.log(q), axis=-1))


def categorical_cross_entropy_backward(y_true, y_pred, from_logits=False):
    """dL/dy_pred of ``categorical_cross_entropy``, shaped like y_pred."""
    y_true, y_pred = _check_pair("categorical_cross_entropy_backward", y_true, y_pred)
    t = y_true.astype(y_pred.dtype)
    n = y_pred.size // y_pred.shape[-1]
    if from_logits:
        softmax = np.exp(_log_softmax(y_pred))
        return (softmax * np.sum(t, axis=-1, keepdims=True) - t) / n
    total = np.sum(y_pred, axis=-1, keepdims=True)
    q = y_pred / total
    inside = (q >= EPSILON) & (q <= 1 - EPSILON)
    dq = np.where(inside, -t / np.clip(q, EPSILON, 1 - EPSILON), 0)
    # through q = p / sum(p): dL/dp_j = (dL/dq_j - sum_i dL/dq_i q_i) / sum(p)
    return ((dq - np.sum(dq * q, axis=-1, keepdims=True)) / total / n).astype(y_pred.dtype)
# --8<-- [end:categorical_cross_entropy]



# --8<-- [start:sparse_categorical_cross_entropy]
import numpy as np


def sparse_categorical_cross_entropy(y_true, y_pred, from_logits=False):
    """Cross-entropy with integer class labels, mean over the batch.

    Args:
        y_true: integer labels in [0, num_classes), shape (batch,).
        y_pred: probabilities or logits (``from_logits``), shape (batch, num_classes).

    Returns:
        Scalar loss.
    """
    _, y_pred = _check_pair("sparse_categorical_cross_entropy", 0, y_pred, same_shape=False)
    labels = _check_labels("sparse_categorical_cross_entropy", y_true, y_pred)
    if not from_logits:
        _check_probabilities("sparse_categorical_cross_entropy", "probabilities y_pred", y_pred)
        y_pred = np.log(np.clip(y_pred, EPSILON, 1 - EPSILON))  # Keras treats log p as logits
    log_p = _log_softmax(y_pred)
    picked = np.take_along_axis(log_p, labels[..., None], axis=-1)
    return -np.mean(picked)


def sparse_categorical_cross_entropy_backward(y_true, y_pred, from_logits=False):
    """dL/dy_pred of ``sparse_categorical_cross_entropy``, shaped like y_pred."""
    _, y_pred = _check_pair("sparse_categorical_cross_entropy_backward", 0, y_pred, same_shape=False)
    labels = _check_labels("sparse_categorical_cross_entropy_backward", y_true, y_pred)
    n = y_pred.size // y_pred.shape[-1]
    if from_logits:
        grad = np.exp(_log_softmax(y_pred))  # softmax - one_hot, divided by the batch size
        np.put_along_axis(grad, labels[..., None], np.take_along_axis(grad, labels[..., None], -1) - 1, -1)
        return grad / n
    p = np.clip(y_pred, EPSILON, 1 - EPSILON)
    inside = (y_pred >= EPSILON) & (y_pred <= 1 - EPSILON)
    grad = 1 / np.sum(p, axis=-1, keepdims=True) - np.zeros_like(p)
    np.put_along_axis(grad, labels[..., None], np.take_along_axis(grad - 1 / p, labels[..., None], -1), -1)
    return (np.where(inside, grad, 0) / n).astype(y_pred.dtype)


def sparse_categorical_cross_entropy_with_grad(y_true, logits):
    """The loss and dL/dlogits of ``sparse_categorical_cross_entropy(y_true, logits, from_logits=True)`` in one
    call: what a training step needs, checked once and computed from one log-softmax. Returns (loss, grad)."""
    _, logits = _check_pair("sparse_categorical_cross_entropy_with_grad", 0, logits, same_shape=False)
    labels = _check_labels("sparse_categorical_cross_entropy_with_grad", y_true, logits)
    # Classes first: NumPy reduces over a short last axis one row at a time, but over the first axis with
    # whole-row vector operations, so the log-softmax runs on a transposed copy (.T reverses every axis).
    log_p = _log_softmax(np.ascontiguousarray(logits.T), axis=0)
    cols = log_p.reshape(len(log_p), -1)  # (classes, samples), a view: one column per label
    picked = (labels.T.ravel(), np.arange(cols.shape[1]))  # each column's true class
    loss = -np.mean(cols[picked])
    grad = np.exp(log_p, out=log_p)  # softmax - one_hot (cols is a view of it), divided by the batch size
    cols[picked] -= 1
    grad /= cols.shape[1]
    return loss, grad.T  # the logits' shape again (a view)
# --8<-- [end:sparse_categorical_cross_entropy]
