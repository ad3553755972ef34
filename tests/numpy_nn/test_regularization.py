"""L1/L2 penalties, dropout and batch normalization: equal to Keras, gradient-checked, strict on bad input."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.regularization import BatchNorm, Dropout, l1_penalty, l2_penalty
from tests.reference import assert_matches_tf

RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 3)) * 2 + 1


@pytest.mark.parametrize(("ours", "keras_cls", "kwarg"), [(l1_penalty, keras.regularizers.L1, "l1"),
                                                          (l2_penalty, keras.regularizers.L2, "l2")])
def test_penalties_match_keras_and_gradients(ours, keras_cls, kwarg):
    W = X.copy()
    assert_matches_tf(lambda w: ours(w, 0.03)[0], keras_cls(**{kwarg: 0.03}), W.astype(np.float32))
    check_gradient(lambda w: ours(w, 0.03)[0], W, ours(W, 0.03)[1])


def test_dropout_zeroes_the_rate_and_keeps_the_mean():
    drop = Dropout(0.25, np.random.default_rng(0))
    x = np.ones((200, 50))
    y = drop.forward(x, training=True)
    assert abs(np.mean(y == 0) - 0.25) < 0.01
    assert abs(y.mean() - 1) < 0.02
    np.testing.assert_array_equal(drop.backward(x), y)  # gradient flows through the same mask
    np.testing.assert_array_equal(drop.forward(x), x)  # inference: identity


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(999, 77), (3, 5, 7), (1,)])
def test_dropout_masks_have_the_rate_for_every_shape_and_dtype(dtype, shape):
    drop = Dropout(0.2, np.random.default_rng(3))
    x = np.ones(shape, dtype)
    y = drop.forward(x, training=True)
    assert y.shape == shape and y.dtype == dtype
    assert set(np.unique(y)) <= {0, dtype(1.25)}
    if y.size > 1000:
        assert abs(np.mean(y == 0) - 0.2) < 0.005
    again = Dropout(0.2, np.random.default_rng(3)).forward(x, training=True)
    np.testing.assert_array_equal(y, again)  # drawn from rng: reproducible
    assert not np.array_equal(drop.forward(x, training=True), y) or y.size == 1  # a fresh mask every call


@settings(max_examples=30, deadline=None)
@given(rate=st.floats(0, 0.95), seed=st.integers(0, 2**32 - 1))
def test_dropout_keeps_the_mean_for_any_rate(rate, seed):
    y = Dropout(rate, np.random.default_rng(seed)).forward(np.ones(20_000), training=True)
    assert abs(np.mean(y == 0) - rate) < 0.02
    assert abs(y.mean() - 1) < 0.02 / (1 - rate) + 0.02


def test_batch_norm_training_matches_keras():
    bn = BatchNorm(3)
    bn.params["gamma"][...] = [0.5, 1.0, 2.0]
    bn.params["beta"][...] = [0.0, -1.0, 1.0]
    keras_bn = keras.layers.BatchNormalization()
    keras_bn.build((None, 3))
    keras_bn.gamma.assign(bn.params["gamma"])
    keras_bn.beta.assign(bn.params["beta"])
    x = X.astype(np.float32)
    assert_matches_tf(lambda v: bn.forward(v, training=True), lambda v: keras_bn(v, training=True), x, rtol=1e-4)
    np.testing.assert_allclose(bn.moving_mean, keras_bn.moving_mean.numpy(), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_var, keras_bn.moving_variance.numpy(), rtol=1e-5)
    assert_matches_tf(lambda v: bn.forward(v), lambda v: keras_bn(v, training=False), x, rtol=1e-4)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("wrt", ["x", "gamma", "beta"])
def test_batch_norm_backward_matches_finite_differences(training, wrt):
    bn = BatchNorm(3, dtype=np.float64)
    bn.params["gamma"][...] = [0.5, 1.0, 2.0]
    bn.moving_mean[...], bn.moving_var[...] = [0.1, 0.2, 0.3], [1.5, 0.5, 2.0]
    x = X.copy()
    dy = np.random.default_rng(1).standard_normal(x.shape)
    bn.forward(x, training=training)
    dx = bn.backward(dy)
    analytic = dx if wrt == "x" else bn.grads[wrt].copy()
    target = x if wrt == "x" else bn.params[wrt]
    mean, var = bn.moving_mean.copy(), bn.moving_var.copy()

    def loss(_):
        bn.moving_mean[...], bn.moving_var[...] = mean, var  # keep the statistics fixed between calls
        return np.sum(bn.forward(x, training=training) * dy)

    check_gradient(loss, target, analytic)


def test_batch_norm_statistics_of_huge_values_do_not_overflow():
    # the variance of +-1e30 is 1e60, beyond float32, but the normalized output fits
    bn = BatchNorm(2)
    x = np.array([[1e30, -1e30], [-1e30, 1e30]], np.float32)
    y = bn.forward(x, training=True)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))
    np.testing.assert_allclose(y, [[1, -1], [-1, 1]], rtol=1e-6)
    assert np.all(np.isfinite(bn.moving_var))
    assert np.all(np.isfinite(bn.backward(np.ones_like(y))))
    np.testing.assert_allclose(bn.forward(x), x * np.sqrt(1 / (0.01 * 1e60 + 0.99 + 1e-3)), rtol=1e-5)


def test_batch_norm_refuses_an_empty_training_batch_and_keeps_its_statistics():
    bn = BatchNorm(3)
    with pytest.raises(ValueError, match="at least one sample in training; received 0 NaN, batch of 0"):
        bn.forward(np.zeros((0, 3), np.float32), training=True)
    np.testing.assert_array_equal(bn.moving_mean, 0)
    np.testing.assert_array_equal(bn.moving_var, 1)
    assert bn.forward(np.zeros((0, 3), np.float32)).shape == (0, 3)  # inference on nothing is fine


def test_penalties_reject_nan_and_negative_strengths():
    with pytest.raises(ValueError, match="l1 >= 0 and W without NaN; received l1=0.01, 1 NaN in W"):
        l1_penalty(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="l2 >= 0 and W without NaN; received l2=-1, 0 NaN in W"):
        l2_penalty(np.ones(2), l2=-1)


def test_rejects_bad_input():
    with pytest.raises(ValueError, match=r"rate in \[0, 1\); received rate=1"):
        Dropout(1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"rate in \[0, 1\); received rate=-0.1"):
        Dropout(-0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"rate in \[0, 1\); received rate='0.5'"):
        Dropout("0.5", np.random.default_rng(0))
    with pytest.raises(ValueError, match="rng to be a np.random.Generator; received int"):
        Dropout(0.5, 0)
    with pytest.raises(ValueError, match="floating-point x; received dtype int64"):
        Dropout(0.2, np.random.default_rng(0)).forward(np.ones((4, 3), dtype=np.int64), training=True)
    drop = Dropout(0.2, np.random.default_rng(0))
    drop.forward(np.ones((4, 3)), training=True)
    with pytest.raises(ValueError, match=r"dy of shape \(4, 3\); received shape \(3,\)"):
        drop.backward(np.ones(3))
    with pytest.raises(ValueError, match=r"x of shape \(batch, 3\); received \(8, 2\)"):
        BatchNorm(3).forward(np.zeros((8, 2)))
    with pytest.raises(ValueError, match="epsilon > 0; received momentum=0.99, epsilon=-1"):
        BatchNorm(3, epsilon=-1)
    with pytest.raises(ValueError, match=r"momentum in \[0, 1\]"):
        BatchNorm(3, momentum=1.5)
    with pytest.raises(ValueError, match="x without NaN"):
        BatchNorm(2).forward(np.array([[np.nan, 0.0]]), training=True)
    bn = BatchNorm(3)
    bn.forward(np.ones((4, 3), np.float32), training=True)
    with pytest.raises(ValueError, match=r"dy of shape \(4, 3\); received shape \(1, 3\)"):
        bn.backward(np.ones((1, 3), np.float32))
