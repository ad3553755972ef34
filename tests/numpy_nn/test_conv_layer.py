"""The Conv2D and Flatten layers: Keras' Conv2D (with ReLU) forward, and gradients by central differences."""

import numpy as np
import pytest

from snippets.numpy_nn.conv_layer import Conv2D, Flatten
from snippets.numpy_nn.gradcheck import check_gradient
from tests.reference import assert_backward_matches, assert_matches_tf


@pytest.mark.parametrize("strides, padding", [(1, "same"), ((1, 2), "same"), (2, "valid")])
def test_forward_matches_keras_conv2d_with_relu(strides, padding):
    import keras

    rng = np.random.default_rng(0)
    layer = Conv2D(3, 4, (1, 5), rng, strides=strides, padding=padding, dtype=np.float32)
    layer.params["b"][...] = rng.standard_normal(4)
    x = rng.standard_normal((2, 1, 12, 3)).astype(np.float32)
    keras_layer = keras.layers.Conv2D(4, (1, 5), strides=strides, padding=padding, activation="relu")
    keras_layer.build(x.shape)
    keras_layer.set_weights([layer.params["W"], layer.params["b"]])
    assert_matches_tf(layer.forward, keras_layer, x, rtol=1e-5, atol=1e-5)


def test_backward_input_gradient_matches_central_differences():
    rng = np.random.default_rng(1)
    layer = Conv2D(2, 3, (1, 3), rng, strides=(1, 2), dtype=np.float64)
    layer.params["b"][...] = 0.1  # keep pre-activations away from ReLU's kink
    x = rng.standard_normal((2, 1, 9, 2))
    assert_backward_matches(layer.forward, lambda dy, x: (layer.forward(x), layer.backward(dy))[1], x)


@pytest.mark.parametrize("name", ["W", "b"])
def test_backward_parameter_gradients_match_central_differences(name):
    rng = np.random.default_rng(2)
    layer = Conv2D(2, 3, (1, 3), rng, dtype=np.float64)
    x = rng.standard_normal((2, 1, 7, 2))
    dy = rng.standard_normal(layer.forward(x).shape)
    layer.backward(dy)
    analytic = layer.grads[name].copy()

    def loss(value):
        saved = layer.params[name].copy()
        layer.params[name][...] = value
        out = np.sum(layer.forward(x) * dy)
        layer.params[name][...] = saved
        return out

    check_gradient(loss, layer.params[name].copy(), analytic, tol=1e-6)


def test_flatten_round_trips_shapes():
    x = np.arange(24.0).reshape(2, 1, 4, 3)
    flat = Flatten()
    y = flat.forward(x)
    assert y.shape == (2, 12) and np.array_equal(flat.backward(y), x)
