"""Losses: equal to keras.losses, gradient-checked, stable on extreme inputs, strict on bad input."""

import warnings

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.numpy_nn import losses as L
from snippets.numpy_nn.gradcheck import check_gradient
from tests.reference import assert_gradients_match_tape, assert_matches_tf

RNG = np.random.default_rng(0)
BATCH, NUM_CLASSES = 6, 4
LOGITS = RNG.standard_normal((BATCH, NUM_CLASSES)) * 2
LABELS = RNG.integers(0, NUM_CLASSES, BATCH)
ONE_HOT = np.eye(NUM_CLASSES)[LABELS]
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
BINARY = RNG.integers(0, 2, (BATCH, 3)).astype(np.float64)
BINARY_LOGITS = RNG.standard_normal((BATCH, 3)) * 2
SIGMOID = 1 / (1 + np.exp(-BINARY_LOGITS))

# name -> (keras class, y_true, y_pred for from_logits=False, y_pred for from_logits=True)
CASES = {
    "binary_cross_entropy": (keras.losses.BinaryCrossentropy, BINARY, SIGMOID, BINARY_LOGITS),
    "categorical_cross_entropy": (keras.losses.CategoricalCrossentropy, ONE_HOT, PROBS, LOGITS),
    "sparse_categorical_cross_entropy": (keras.losses.SparseCategoricalCrossentropy, LABELS, PROBS, LOGITS),
}


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_cross_entropy_matches_keras(name, from_logits):
    keras_cls, y_true, probs, logits = CASES[name]
    y_pred = (logits if from_logits else probs).astype(np.float32)
    keras_loss = keras_cls(from_logits=from_logits)
    assert_matches_tf(
        lambda t, p: getattr(L, name)(t, p, from_logits=from_logits), keras_loss, y_true, y_pred
    )


def test_mse_matches_keras():
    assert_matches_tf(L.mse, keras.losses.MeanSquaredError(), PROBS.astype(np.float32), ONE_HOT.astype(np.float32))


def test_probabilities_outside_keras_clip_match_keras():
    # probabilities of exactly 0 and 1 are clipped to [1e-7, 1 - 1e-7] by both
    y_true = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    y_pred = np.array([[0.0, 1.0], [0.0, 1.0]], np.float32)
    assert_matches_tf(L.binary_cross_entropy, keras.losses.BinaryCrossentropy(), y_true, y_pred)
    assert_matches_tf(L.categorical_cross_entropy, keras.losses.CategoricalCrossentropy(), y_true, y_pred)
    assert_matches_tf(
        L.sparse_categorical_cross_entropy, keras.losses.SparseCategoricalCrossentropy(), np.array([0, 1]), y_pred
    )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_cross_entropy_backward_matches_finite_differences(name, from_logits):
    _, y_true, probs, logits = CASES[name]
    x = (logits if from_logits else probs * 0.9 + 0.05).copy()  # interior: away from the clip's kinks
    forward, backward = getattr(L, name), getattr(L, f"{name}_backward")
    check_gradient(lambda z: forward(y_true, z, from_logits=from_logits), x, backward(y_true, x, from_logits))


def test_mse_backward_matches_finite_differences():
    x = LOGITS.copy()
    check_gradient(lambda z: L.mse(ONE_HOT, z), x, L.mse_backward(ONE_HOT, x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_losses_are_finite_and_silent_on_extreme_inputs(dtype, data):
    z = data.draw(arrays(dtype, (3, 4), elements=st.floats(-1e4, 1e4, width=32)))
    p = data.draw(arrays(dtype, (3, 4), elements=st.sampled_from([0.0, 1.0, 0.5, 1e-30])))
    p_rows = p + np.eye(3, 4, dtype=dtype)  # every row has a positive sum
    labels = np.array([0, 3, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [
            L.mse(z, z[::-1]), L.mse_backward(z, z[::-1]),
            L.binary_cross_entropy(p, z, from_logits=True), L.binary_cross_entropy_backward(p, z, True),
            L.binary_cross_entropy(p, p), L.binary_cross_entropy_backward(p, p),
            L.categorical_cross_entropy(np.eye(3, 4)[::-1], z, from_logits=True),
            L.categorical_cross_entropy_backward(np.eye(3, 4)[::-1], z, True),
            L.categorical_cross_entropy(np.eye(3, 4), p_rows / p_rows.sum(-1, keepdims=True)),
            L.categorical_cross_entropy_backward(np.eye(3, 4), np.clip(p_rows, 0, 1)),
            L.sparse_categorical_cross_entropy(labels, z, from_logits=True),
            L.sparse_categorical_cross_entropy_backward(labels, z, True),
            L.sparse_categorical_cross_entropy(labels, np.clip(p_rows, 0, 1)),
            L.sparse_categorical_cross_entropy_backward(labels, np.clip(p_rows, 0, 1)),
        ]
    for r in results:
        assert np.all(np.isfinite(r))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(BATCH, NUM_CLASSES), (2, 3, NUM_CLASSES)])
def test_loss_with_grad_equals_the_loss_and_its_backward(dtype, shape):
    logits = (RNG.standard_normal(shape) * 3).astype(dtype)
    logits.flat[0] = 1e4  # extreme logits too: one log-softmax must stay finite and silent
    labels = RNG.integers(0, NUM_CLASSES, shape[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = L.sparse_categorical_cross_entropy_with_grad(labels, logits)
    assert grad.dtype == dtype and grad.shape == shape and np.all(np.isfinite(grad))
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(loss, L.sparse_categorical_cross_entropy(labels, logits, from_logits=True), rtol=rtol)
    np.testing.assert_allclose(
        grad, L.sparse_categorical_cross_entropy_backward(labels, logits, from_logits=True), rtol=rtol, atol=1e-12
    )
    np.testing.assert_array_equal(logits.flat[0], 1e4)  # the logits themselves are left alone


def test_loss_with_grad_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"with_grad expects labels in \[0, 3\]; received values in \[-1, 1\]"):
        L.sparse_categorical_cross_entropy_with_grad(np.array([0, -1, 1, 1, 1, 1]), LOGITS)
    with pytest.raises(ValueError, match=r"labels of shape \(6,\).*received labels of shape \(5,\)"):
        L.sparse_categorical_cross_entropy_with_grad(LABELS[:5], LOGITS)
    with pytest.raises(ValueError, match="without NaN"):
        L.sparse_categorical_cross_entropy_with_grad(LABELS, np.where(ONE_HOT > 0, np.nan, LOGITS))


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"one shape; received \(6, 4\) and \(6, 3\)"):
        L.categorical_cross_entropy(ONE_HOT, LOGITS[:, :3], from_logits=True)
    with pytest.raises(ValueError, match=r"labels of shape \(6,\).*received labels of shape \(5,\)"):
        L.sparse_categorical_cross_entropy(LABELS[:5], LOGITS, from_logits=True)


def test_rejects_bad_labels_and_dtypes():
    with pytest.raises(ValueError, match=r"labels in \[0, 3\]; received values in \[0, 4\]"):
        L.sparse_categorical_cross_entropy(np.array([0, 4, 1, 1, 1, 1]), LOGITS, from_logits=True)
    with pytest.raises(ValueError, match="NaN"):
        L.sparse_categorical_cross_entropy(np.array([0, np.nan, 1, 1, 1, 1]), LOGITS, from_logits=True)
    with pytest.raises(ValueError, match="NaN"):
        L.mse(ONE_HOT, np.where(ONE_HOT > 0, np.nan, 0.0))
    with pytest.raises(ValueError, match="float dtype; received dtype int64"):
        L.mse(ONE_HOT, ONE_HOT.astype(np.int64))
    with pytest.raises(ValueError, match=r"y_true in \[0, 1\]"):
        L.binary_cross_entropy(BINARY * 2, SIGMOID)
    with pytest.raises(ValueError, match="from_logits=True"):
        L.binary_cross_entropy(BINARY, BINARY_LOGITS)


# --- hostile input (issue 14) ---

EMPTY = np.zeros((0, NUM_CLASSES))
# name -> a call of the loss (or its backward) on a batch of 0 samples
EMPTY_CALLS = {
    "mse": lambda f: f(EMPTY, EMPTY),
    "binary_cross_entropy": lambda f: f(EMPTY, EMPTY),
    "categorical_cross_entropy": lambda f: f(EMPTY, EMPTY),
    "sparse_categorical_cross_entropy": lambda f: f(np.zeros(0, int), EMPTY),
}


@pytest.mark.parametrize("suffix", ["", "_backward"])
@pytest.mark.parametrize("name", sorted(EMPTY_CALLS))
def test_a_batch_of_zero_samples_is_a_clear_error(name, suffix):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Mean of empty slice"
        with pytest.raises(ValueError, match=r"at least one sample.*received shape \(0, 4\)"):
            EMPTY_CALLS[name](getattr(L, name + suffix))


def test_loss_with_grad_rejects_an_empty_batch():
    with pytest.raises(ValueError, match="at least one sample"):
        L.sparse_categorical_cross_entropy_with_grad(np.zeros(0, int), EMPTY)


@pytest.mark.parametrize("suffix", ["", "_backward"])
def test_backward_makes_the_range_checks_of_its_forward(suffix):
    bce = getattr(L, "binary_cross_entropy" + suffix)
    cce = getattr(L, "categorical_cross_entropy" + suffix)
    scce = getattr(L, "sparse_categorical_cross_entropy" + suffix)
    with pytest.raises(ValueError, match=r"from_logits=True\) in \[0, 1\]; received values in \[1.5, 1.5\]"):
        bce([[1.0]], np.array([[1.5]]))
    with pytest.raises(ValueError, match=r"y_true in \[0, 1\]"):
        bce([[2.0]], np.array([[0.5]]))
    with pytest.raises(ValueError, match=r"y_true in \[0, 1\]"):
        bce([[2.0]], np.array([[0.5]]), True)
    with pytest.raises(ValueError, match=r"probabilities y_pred .*in \[0, 1\]"):
        cce(ONE_HOT, LOGITS)
    with pytest.raises(ValueError, match=r"one-hot y_true in \[0, 1\]"):
        cce(ONE_HOT * 3, PROBS)
    with pytest.raises(ValueError, match=r"probabilities y_pred in \[0, 1\]"):
        scce(LABELS, LOGITS)
    with pytest.raises(ValueError, match=r"labels in \[0, 3\]"):
        scce(LABELS + 4, LOGITS, True)
    with pytest.raises(ValueError, match="one shape"):
        getattr(L, "mse" + suffix)(ONE_HOT, LOGITS[:, :3])
    with pytest.raises(ValueError, match="y_true without NaN"):
        getattr(L, "mse" + suffix)(np.full_like(ONE_HOT, np.nan), LOGITS)


@pytest.mark.parametrize("name", ["binary_cross_entropy", "categorical_cross_entropy"])
def test_float16_perfect_prediction_is_not_nan(name):
    y = np.array([[1.0, 0.0], [0.0, 1.0]], np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = getattr(L, name)(y, y)
        grad = getattr(L, f"{name}_backward")(y, y)
    assert loss.dtype == np.float16 and np.isfinite(loss) and 0 <= loss < 1e-3
    assert grad.dtype == np.float16 and np.isfinite(grad).all()
    sparse = L.sparse_categorical_cross_entropy(np.array([0, 1]), y)
    assert np.isfinite(sparse) and sparse < 1e-3


@pytest.mark.parametrize("from_logits", [False, True])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_cross_entropies_are_non_negative(from_logits, data):
    """Property: every cross-entropy of valid targets is >= 0 (up to rounding), for any valid prediction."""
    shape = (data.draw(st.integers(1, 4)), 3)
    if from_logits:
        y_pred = data.draw(arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
    else:
        y_pred = data.draw(arrays(np.float64, shape, elements=st.floats(0, 1)))
        y_pred[:, 0] += 1e-3  # every row has a positive sum
        y_pred = np.clip(y_pred, 0, 1)
    labels = data.draw(arrays(np.int64, shape[:1], elements=st.integers(0, 2)))
    one_hot = np.eye(3)[labels]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses = [L.binary_cross_entropy(one_hot, y_pred, from_logits),
                  L.categorical_cross_entropy(one_hot, y_pred, from_logits),
                  L.sparse_categorical_cross_entropy(labels, y_pred, from_logits)]
    assert all(loss >= -1e-12 for loss in losses), losses


def test_rejects_bad_y_true_dtypes_and_scalars():
    with pytest.raises(ValueError, match="numeric y_true"):
        L.mse(np.array([["a"]]), np.array([[1.0]]))
    with pytest.raises(ValueError, match="batch"):
        L.mse(np.float64(1.0), np.float64(1.0))
    with pytest.raises(ValueError, match="integer labels; received dtype"):
        L.sparse_categorical_cross_entropy(np.array(["a", "b", "c", "d", "e", "f"]), LOGITS, True)
    with pytest.raises(ValueError, match="non-integer"):
        L.sparse_categorical_cross_entropy(LABELS + 0.5, LOGITS, True)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_cross_entropy_backward_matches_keras_under_the_tape(name, from_logits):
    keras_cls, y_true, probs, logits = CASES[name]
    y_pred = (logits if from_logits else probs * 0.9 + 0.05).copy()  # interior: away from the clip
    keras_loss = keras_cls(from_logits=from_logits, dtype="float64")
    backward = getattr(L, f"{name}_backward")
    assert_gradients_match_tape(lambda p: keras_loss(y_true, p),
                                lambda dy, p: dy * backward(y_true, p, from_logits), y_pred,
                                rtol=1e-6, atol=1e-9)


def test_mse_backward_matches_keras_under_the_tape():
    keras_loss = keras.losses.MeanSquaredError(dtype="float64")
    assert_gradients_match_tape(lambda p: keras_loss(ONE_HOT, p), lambda dy, p: dy * L.mse_backward(ONE_HOT, p),
                                LOGITS.copy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
@pytest.mark.parametrize("suffix", ["", "_backward"])
def test_infinite_predictions_and_targets_are_a_clear_error(bad, suffix):
    """inf * 0 would make a NaN loss: an infinite logit is an overflow upstream, so it is named instead."""
    z = LOGITS.copy()
    z[1, 2] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="y_pred without NaN or inf; received 1 non-finite values"):
            getattr(L, "binary_cross_entropy" + suffix)(ONE_HOT, z, True)
        with pytest.raises(ValueError, match="without NaN or inf"):
            getattr(L, "sparse_categorical_cross_entropy" + suffix)(LABELS, z, True)
        with pytest.raises(ValueError, match="without NaN or inf"):
            getattr(L, "categorical_cross_entropy" + suffix)(ONE_HOT, z, True)
        with pytest.raises(ValueError, match="y_true without NaN or inf"):
            getattr(L, "mse" + suffix)(z, LOGITS)
