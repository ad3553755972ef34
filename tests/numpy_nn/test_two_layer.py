"""The hand-written two-layer network: gradients equal finite differences and tf.GradientTape; it learns XOR."""

import numpy as np
import pytest
import tensorflow as tf

from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.optimizers import Adam
from snippets.numpy_nn.two_layer import init_two_layer, two_layer_backward, two_layer_forward
from tests.reference import assert_gradients_match_tape

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
    keys = ("W1", "b1", "W2", "b2")

    def tf_loss(W1, b1, W2, b2):  # the same network, differentiated by TensorFlow
        z = tf.tanh(X_XOR @ W1 + b1) @ W2 + b2
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y_XOR, logits=z))

    def ours(dy, W1, b1, W2, b2):  # dy scales the scalar loss
        _, cache = two_layer_forward(dict(zip(keys, (W1, b1, W2, b2), strict=True)), X_XOR, Y_XOR)
        grads = two_layer_backward(params, cache)
        return [dy * grads[key] for key in keys]

    assert_gradients_match_tape(tf_loss, ours, *(params[k] for k in keys), rtol=1e-10, atol=1e-12)
    ours_loss, _ = two_layer_forward(params, X_XOR, Y_XOR)
    assert ours_loss == pytest.approx(float(tf_loss(*(params[k] for k in keys))), rel=1e-12)


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


def test_extreme_logits_give_finite_loss_and_gradients():
    params = init_two_layer(2, 4, np.random.default_rng(0))
    params["W2"] *= 1e4  # saturated output: sigmoid(z) is exactly 0 or 1
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, cache = two_layer_forward(params, X_XOR * 10, 1 - Y_XOR)
        grads = two_layer_backward(params, cache)
    assert np.isfinite(loss) and loss > 100
    assert all(np.isfinite(g).all() for g in grads.values())


def test_rejects_mismatched_targets():
    params = init_two_layer(2, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"y of shape \(batch, 1\); received \(4, 2\) and \(4,\)"):
        two_layer_forward(params, X_XOR, Y_XOR.ravel())


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_non_finite_inputs_and_bad_targets(bad):
    params = init_two_layer(2, 4, np.random.default_rng(0))
    x = X_XOR.copy()
    x[1, 0] = bad
    with pytest.raises(ValueError, match="finite x and targets y in \\[0, 1\\]"):
        two_layer_forward(params, x, Y_XOR)
    with pytest.raises(ValueError, match=r"y in \[0.0, 2.0\]"):
        two_layer_forward(params, X_XOR, Y_XOR * 2)
