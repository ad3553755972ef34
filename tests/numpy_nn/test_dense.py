"""Dense layer: gradient-checked, equal to keras.layers.Dense and tf.GradientTape, strict on bad input."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.numpy_nn.dense import Dense
from snippets.numpy_nn.gradcheck import check_gradient
from tests.reference import assert_gradients_match_tape, assert_matches_tf

D_IN, UNITS, BATCH = 5, 3, 4


def make_layer(dtype=np.float64, seed=0):
    layer = Dense(D_IN, UNITS, np.random.default_rng(seed), dtype=dtype)
    layer.params["b"][...] = np.random.default_rng(seed + 1).standard_normal(UNITS)
    return layer


def test_forward_matches_keras_dense():
    layer = make_layer(np.float32)
    keras_dense = keras.layers.Dense(UNITS)
    keras_dense.build((None, D_IN))
    keras_dense.set_weights([layer.params["W"], layer.params["b"]])
    x = np.random.default_rng(2).standard_normal((BATCH, D_IN)).astype(np.float32)
    assert_matches_tf(layer.forward, keras_dense, x)


@pytest.mark.parametrize("wrt", ["x", "W", "b"])
def test_backward_matches_finite_differences(wrt):
    layer = make_layer()
    x = np.random.default_rng(3).standard_normal((BATCH, D_IN))
    dy = np.random.default_rng(4).standard_normal((BATCH, UNITS))
    layer.forward(x)
    dx = layer.backward(dy)
    analytic = dx if wrt == "x" else layer.grads[wrt].copy()
    target = x if wrt == "x" else layer.params[wrt]
    check_gradient(lambda _: np.sum(layer.forward(x) * dy), target, analytic)


def test_backward_matches_gradient_tape():
    layer = make_layer()
    x = np.random.default_rng(5).standard_normal((BATCH, D_IN))

    def numpy_backward(dy, x, W, b):
        layer.forward(x)
        dx = layer.backward(dy)
        return dx, layer.grads["W"], layer.grads["b"]

    assert_gradients_match_tape(
        lambda x, W, b: tf.matmul(x, W) + b, numpy_backward, x, layer.params["W"].copy(), layer.params["b"].copy()
    )


def test_glorot_default_has_keras_limit():
    W = Dense(400, 600, np.random.default_rng(0)).params["W"]
    limit = np.sqrt(6 / 1000)
    assert W.dtype == np.float32 and np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit


def test_kernel_initializer_is_a_function_of_shape_and_rng():
    layer = Dense(3, 2, np.random.default_rng(0), kernel_initializer=lambda shape, rng: np.full(shape, 0.5))
    assert layer.params["W"].dtype == np.float32
    np.testing.assert_array_equal(layer.params["W"], np.full((3, 2), 0.5))


def test_grads_have_the_weights_shapes_and_the_bias_gradient_sums_the_batch():
    layer = make_layer()
    layer.forward(np.zeros((BATCH, D_IN)))
    dy = np.arange(BATCH * UNITS, dtype=np.float64).reshape(BATCH, UNITS)
    layer.backward(dy)
    assert layer.grads["W"].shape == (D_IN, UNITS)
    np.testing.assert_array_equal(layer.grads["b"], dy.sum(axis=0))


def test_rejects_bad_input():
    layer = make_layer()
    with pytest.raises(ValueError, match=r"x of shape \(batch, 5\); received shape \(4, 6\)"):
        layer.forward(np.zeros((4, 6)))
    with pytest.raises(ValueError, match="dtype float64 like its weights; received dtype float32"):
        layer.forward(np.zeros((4, 5), np.float32))
    x = np.zeros((4, 5))
    x[0, 0] = x[1, 1] = np.nan
    with pytest.raises(ValueError, match="x without NaN; received 2 NaN"):
        layer.forward(x)
    with pytest.raises(ValueError, match="forward call first"):
        make_layer().backward(np.zeros((4, 3)))
    layer.forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"dy of shape \(4, 3\); received shape \(4, 2\)"):
        layer.backward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dy of shape \(4, 3\); received shape \(3,\)"):
        layer.backward(np.zeros(3))  # would broadcast against (4, 3): refused, not silently summed
    with pytest.raises(ValueError, match="positive integer units; received units=0"):
        Dense(3, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="float dtype and a np.random.Generator rng; received dtype=<class 'int'>"):
        Dense(3, 2, np.random.default_rng(0), dtype=int)
    with pytest.raises(ValueError, match="rng=int"):
        Dense(3, 2, 0)
