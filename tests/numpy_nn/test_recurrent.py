"""simple_rnn / lstm / gru and their backpropagation through time against Keras layers, tf.GradientTape
and central differences."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.recurrent import gru, gru_backward, lstm, lstm_backward, simple_rnn, simple_rnn_backward
from tests.reference import assert_matches_tf

# name: (Keras layer, forward, backward, number of states)
CELLS = {
    "simple_rnn": (keras.layers.SimpleRNN, simple_rnn, simple_rnn_backward, 1),
    "lstm": (keras.layers.LSTM, lstm, lstm_backward, 2),
    "gru": (keras.layers.GRU, gru, gru_backward, 1),
}
BATCH, TIME, FEATURES, UNITS = 3, 5, 4, 6


def _layer_and_weights(name, dtype, rng, scale=0.5):
    """A built Keras layer with random weights (random biases too, so their gradients are exercised)."""
    layer = CELLS[name][0](UNITS, return_sequences=True, return_state=True, dtype=dtype)
    layer.build((BATCH, TIME, FEATURES))
    weights = [(scale * rng.standard_normal(w.shape)).astype(dtype) for w in layer.get_weights()]
    layer.set_weights(weights)
    return layer, weights


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("with_states", [False, True])
@pytest.mark.parametrize("name", CELLS)
def test_forward_matches_keras_layer(name, with_states, dtype):
    rng = np.random.default_rng(0)
    forward, num_states = CELLS[name][1], CELLS[name][3]
    layer, weights = _layer_and_weights(name, dtype, rng)
    x = rng.standard_normal((BATCH, TIME, FEATURES)).astype(dtype)
    states = [rng.standard_normal((BATCH, UNITS)).astype(dtype) for _ in range(num_states)] if with_states else []
    tol = 1e-12 if dtype == "float64" else 1e-5
    outputs = assert_matches_tf(
        lambda a: forward(a, *weights, *states),
        lambda a: layer(a, initial_state=states or None),
        x,
        rtol=tol,
        atol=tol,
    )
    assert all(out.dtype == np.dtype(dtype) for out in outputs)
    assert len(outputs) == 1 + num_states


@pytest.mark.parametrize("name", CELLS)
def test_backward_matches_gradient_tape(name):
    """Every gradient (input, weights, initial states) with gradients flowing in from every output."""
    rng = np.random.default_rng(1)
    forward, backward, num_states = CELLS[name][1:]
    layer, weights = _layer_and_weights(name, "float64", rng)
    x = rng.standard_normal((BATCH, TIME, FEATURES))
    states = [rng.standard_normal((BATCH, UNITS)) for _ in range(num_states)]
    *outputs, cache = forward(x, *weights, *states, return_cache=True)
    douts = [rng.standard_normal(out.shape) for out in outputs]

    x_var, state_vars = tf.Variable(x), [tf.Variable(s) for s in states]
    with tf.GradientTape() as tape:
        tf_outputs = layer(x_var, initial_state=state_vars)
        loss = sum(tf.reduce_sum(out * d) for out, d in zip(tf_outputs, douts, strict=True))
    expected = tape.gradient(loss, [x_var, *layer.trainable_weights, *state_vars])
    got = backward(douts[0], cache, *douts[1:])
    assert len(got) == len(expected)
    for i, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12, err_msg=f"gradient {i}")


@pytest.mark.parametrize("name", CELLS)
def test_backward_matches_central_differences(name):
    rng = np.random.default_rng(2)
    forward, backward, num_states = CELLS[name][1:]
    _, weights = _layer_and_weights(name, "float64", rng)
    x = rng.standard_normal((2, 4, FEATURES))
    states = [rng.standard_normal((2, UNITS)) for _ in range(num_states)]
    inputs = [x, *weights, *states]
    *outputs, cache = forward(*inputs, return_cache=True)
    douts = [rng.standard_normal(out.shape) for out in outputs]
    grads = backward(douts[0], cache, *douts[1:])

    def loss(i):
        def f(value):
            args = [value if j == i else a for j, a in enumerate(inputs)]
            return sum(np.sum(out * d) for out, d in zip(forward(*args), douts, strict=True))

        return f

    for i, grad in enumerate(grads):
        check_gradient(loss(i), inputs[i].copy(), grad)


@pytest.mark.parametrize("name", CELLS)
def test_unused_outputs_have_no_gradient(name):
    """dsequence=None and no state gradients: nothing flows back, everything is exactly zero."""
    rng = np.random.default_rng(3)
    forward, backward = CELLS[name][1:3]
    _, weights = _layer_and_weights(name, "float64", rng)
    *_, cache = forward(rng.standard_normal((BATCH, TIME, FEATURES)), *weights, return_cache=True)
    assert all(not np.any(g) for g in backward(None, cache))


@pytest.mark.parametrize("name", CELLS)
def test_last_step_gradient_reaches_first_step(name):
    """Only the last output has a gradient, yet the first input gets one: that is backprop through time."""
    rng = np.random.default_rng(4)
    forward, backward = CELLS[name][1:3]
    _, weights = _layer_and_weights(name, "float64", rng)
    sequence, *_, cache = forward(rng.standard_normal((BATCH, TIME, FEATURES)), *weights, return_cache=True)
    dsequence = np.zeros_like(sequence)
    dsequence[:, -1] = 1.0
    dx = backward(dsequence, cache)[0]
    assert np.all(np.abs(dx[:, 0]).sum(axis=1) > 0)


@pytest.mark.parametrize("name", CELLS)
def test_extreme_inputs_stay_finite_and_saturate(name):
    rng = np.random.default_rng(5)
    forward, backward = CELLS[name][1:3]
    _, weights = _layer_and_weights(name, "float32", rng)
    x = np.full((BATCH, TIME, FEATURES), 1e30, dtype=np.float32) * np.sign(rng.standard_normal(FEATURES))
    sequence, *states, cache = forward(x, *weights, return_cache=True)
    grads = backward(np.ones_like(sequence), cache)
    assert all(np.all(np.isfinite(a)) for a in (sequence, *states, *grads))
    assert np.all(np.abs(sequence) <= 1.0)  # tanh-bounded, as in Keras (the LSTM's c may grow, h may not)


@pytest.mark.parametrize("name", CELLS)
def test_rejects_bad_inputs(name):
    rng = np.random.default_rng(6)
    forward, backward = CELLS[name][1:3]
    _, weights = _layer_and_weights(name, "float64", rng)
    x = rng.standard_normal((BATCH, TIME, FEATURES))
    message = rf"{name} expects x of shape \(batch, time, features\); received shape \(5, 4\)"
    with pytest.raises(ValueError, match=message):
        forward(x[0], *weights)
    with pytest.raises(ValueError, match=rf"{name} expects a floating-point x; received dtype int64"):
        forward(x.astype(np.int64), *weights)
    with pytest.raises(ValueError, match=rf"{name} expects kernel of shape .*received shape \(3, "):
        forward(x, weights[0][:3], *weights[1:])
    with pytest.raises(ValueError, match=rf"{name} expects bias of shape"):
        forward(x, *weights[:2], weights[2][..., :-1])
    with pytest.raises(ValueError, match=rf"{name} expects h0 of shape \(3, 6\); received shape \(3, 5\)"):
        forward(x, *weights, np.zeros((BATCH, UNITS - 1)))
    sequence, *_, cache = forward(x, *weights, return_cache=True)
    with pytest.raises(ValueError, match=r"expects dsequence of shape \(3, 5, 6\); received shape \(3, 4, 6\)"):
        backward(sequence[:, 1:], cache)
