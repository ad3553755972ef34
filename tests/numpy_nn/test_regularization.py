"""L1/L2 penalties, dropout and batch normalization: equal to Keras, gradient-checked, strict on bad input."""

import keras
import numpy as np
import pytest

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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(999, 77), (3, 5, 7), (1,)])  # odd sizes: a half-used 64-bit draw
def test_dropout_masks_have_the_rate_for_every_shape_and_dtype(dtype, shape):
    drop = Dropout(0.2, np.random.default_rng(3))
    x = np.ones(shape, dtype)
    y = drop.forward(x, training=True)
    assert y.shape == shape and y.dtype == dtype
    assert set(np.unique(y)) <= {0, dtype(1.25)}
    if y.size > 1000:
        assert abs(np.mean(y == 0) - 0.2) < 0.005
    again = Dropout(0.2, np.random.default_rng(3)).forward(x, training=True)
    np.testing.assert_array_equal(y, again)  # seeded from rng: reproducible
    assert not np.array_equal(drop.forward(x, training=True), y) or y.size == 1  # a fresh mask every call


def test_dropout_keeps_with_probability_one_minus_rate_to_2_pow_minus_32():
    assert Dropout(0.5, np.random.default_rng(0)).threshold == 2**31
    assert Dropout(1e-12, np.random.default_rng(0)).threshold == 2**32 - 1  # keeps all but 1 in 2^32
    assert Dropout(0.999, np.random.default_rng(0)).threshold == round(0.001 * 2**32)


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


def test_rejects_bad_input():
    with pytest.raises(ValueError, match=r"rate in \[0, 1\); received rate=1"):
        Dropout(1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="floating-point x; received dtype int64"):
        Dropout(0.2, np.random.default_rng(0)).forward(np.ones((4, 3), dtype=np.int64), training=True)
    with pytest.raises(ValueError, match=r"x of shape \(batch, 3\); received \(8, 2\)"):
        BatchNorm(3).forward(np.zeros((8, 2)))
