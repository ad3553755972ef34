"""The hand-written two-layer network: gradients equal finite differences and tf.GradientTape; it learns XOR."""

import numpy as np
import pytest
import tensorflow as tf

from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.optimizers import Adam
from snippets.numpy_nn.two_layer import init_two_layer, two_layer_backward, two_layer_forward

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])


@pytest.mark.parametrize("key", ["W1", "b1", "W2", "b2"])
def test_backward_matches_finite_differences(key):
    rng = np.random.default_rng(0)
    params = init_two_layer(3, 5, rng)
    params["b1"] += rng.standard_normal(5)
    x, y = rng.standard_normal((7, 3)), rng.integers(0, 2, (7, 1)).astype(float)
    _, cache = two_layer_forward(params, x, y)
    grads = two_layer_backward(params, cache)
    check_gradient(lambda _: two_layer_forward(params, x, y)[0], params[key], grads[key])


def test_backward_matches_gradient_tape():
    rng = np.random.default_rng(1)
    params = init_two_layer(2, 3, rng)
    variables = {k: tf.Variable(v) for k, v in params.items()}
    with tf.GradientTape() as tape:
        z = tf.tanh(X_XOR @ variables["W1"] + variables["b1"]) @ variables["W2"] + variables["b2"]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y_XOR, logits=z))
    expected = tape.gradient(loss, variables)
    ours_loss, cache = two_layer_forward(params, X_XOR, Y_XOR)
    assert ours_loss == pytest.approx(float(loss), rel=1e-12)
    for key, grad in two_layer_backward(params, cache).items():
        np.testing.assert_allclose(grad, expected[key].numpy(), rtol=1e-10, err_msg=key)


def test_learns_xor():
    rng = np.random.default_rng(0)
    params = init_two_layer(2, 4, rng)
    optimizer = Adam(learning_rate=0.05)
    for _ in range(500):
        _, cache = two_layer_forward(params, X_XOR, Y_XOR)
        optimizer.step(params, two_layer_backward(params, cache))
    loss, cache = two_layer_forward(params, X_XOR, Y_XOR)
    np.testing.assert_array_equal(cache["y_hat"] > 0.5, Y_XOR > 0.5)
    assert loss < 0.05


def test_rejects_bad_shapes():
    params = init_two_layer(2, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"x of shape \(batch, 2\).*received \(4, 3\) and \(4, 1\)"):
        two_layer_forward(params, np.zeros((4, 3)), np.zeros((4, 1)))
