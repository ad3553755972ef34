"""What test_rnn.py, test_lstm.py and test_gru.py share: one recurrent cell described once (its Keras layer,
forward, backward and states), and the checks every cell must pass, each written once.

Comparisons go through tests/reference.py's shared helpers.
"""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reference import assert_backward_matches, assert_gradients_match_tape, assert_matches_tf

BATCH, TIME, FEATURES, UNITS = 3, 5, 4, 6


@dataclass(frozen=True)
class Cell:
    name: str  # the name error messages use
    layer: type  # the Keras layer it equals
    forward: object
    backward: object
    states: tuple  # ("h0",) or ("h0", "c0")


def keras_layer(cell, dtype="float64", seed=0, scale=0.5, **kwargs):
    """A built Keras layer with random weights (random biases too, so their gradients are exercised)."""
    layer = cell.layer(UNITS, dtype=dtype, **kwargs)
    layer.build((BATCH, TIME, FEATURES))
    rng = np.random.default_rng(seed)
    layer.set_weights([(scale * rng.standard_normal(w.shape)).astype(dtype) for w in layer.get_weights()])
    return layer


def sequences_and_states(cell, dtype="float64", seed=1, batch=BATCH, time=TIME):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, time, FEATURES)).astype(dtype)
    return x, [rng.standard_normal((batch, UNITS)).astype(dtype) for _ in cell.states]


def tf_sequence(layer):
    """The layer's returned sequence as a function of tensors (x, *weights, *states), for the tape."""

    def f(x, *args):
        n = len(layer.trainable_variables)
        non_trainable = [v.value for v in layer.non_trainable_variables]
        y, _ = layer.stateless_call(list(args[:n]), non_trainable, x, initial_state=list(args[n:]) or None)
        return y

    return f


def forward_matches_keras(cell, dtype, with_states):
    layer = keras_layer(cell, dtype, return_sequences=True, return_state=True)
    x, states = sequences_and_states(cell, dtype)
    states = states if with_states else []
    tol = 1e-12 if dtype == "float64" else 1e-5
    outputs = assert_matches_tf(lambda a: cell.forward(a, *layer.get_weights(), *states),
                                lambda a: layer(a, initial_state=states or None), x, rtol=tol, atol=tol)
    assert all(out.dtype == np.dtype(dtype) for out in outputs)
    assert len(outputs) == 1 + len(cell.states)


def backward_matches_tape(cell):
    """Gradients of the sequence w.r.t. x, every weight and every initial state, against tf.GradientTape."""
    layer = keras_layer(cell, return_sequences=True)
    x, states = sequences_and_states(cell)

    def backward(dy, *inputs):
        cache = cell.forward(*inputs, return_cache=True)[-1]
        return cell.backward(dy, cache)

    assert_gradients_match_tape(tf_sequence(layer), backward, x, *layer.get_weights(), *states,
                                rtol=1e-10, atol=1e-12)


def state_gradient_matches_central_differences(cell, output, wrt):
    """Gradient flowing in from the last state ``output`` (1 = h, 2 = c), w.r.t. input ``wrt``."""
    weights = keras_layer(cell).get_weights()
    x, states = sequences_and_states(cell, batch=2, time=4)
    inputs = [x, *weights, *states]

    def forward(value):
        return cell.forward(*[value if j == wrt else a for j, a in enumerate(inputs)])[output]

    def backward(dy, value):
        *outputs, cache = cell.forward(*[value if j == wrt else a for j, a in enumerate(inputs)],
                                       return_cache=True)
        dstates = [dy if j == output else None for j in range(1, len(outputs))]
        return cell.backward(None, cache, *dstates)[wrt]

    assert_backward_matches(forward, backward, inputs[wrt].copy(), tol=1e-7)


def unused_outputs_have_no_gradient(cell):
    weights = keras_layer(cell).get_weights()
    x, _ = sequences_and_states(cell)
    cache = cell.forward(x, *weights, return_cache=True)[-1]
    assert all(not np.any(g) for g in cell.backward(None, cache))


def last_step_gradient_reaches_first_step(cell):
    """Only the last output has a gradient, yet the first input gets one: backpropagation through time."""
    weights = keras_layer(cell).get_weights()
    x, _ = sequences_and_states(cell)
    sequence, *_, cache = cell.forward(x, *weights, return_cache=True)
    dsequence = np.zeros_like(sequence)
    dsequence[:, -1] = 1.0
    dx = cell.backward(dsequence, cache)[0]
    assert np.all(np.abs(dx[:, 0]).sum(axis=1) > 0)


def extreme_inputs_stay_finite(cell):
    weights = keras_layer(cell, "float32").get_weights()
    sign = np.sign(np.random.default_rng(5).standard_normal(FEATURES))
    x = np.full((BATCH, TIME, FEATURES), 1e30, dtype=np.float32) * sign
    sequence, *states, cache = cell.forward(x, *weights, return_cache=True)
    grads = cell.backward(np.ones_like(sequence), cache)
    assert all(np.all(np.isfinite(a)) for a in (sequence, *states, *grads))
    assert np.all(np.abs(sequence) <= 1.0)  # tanh-bounded, as in Keras (the LSTM's c may grow, h may not)


def rejects_bad_inputs(cell):
    name = cell.name
    weights = keras_layer(cell).get_weights()
    x, _ = sequences_and_states(cell)
    forward, backward = cell.forward, cell.backward
    message = rf"{name} expects x of shape \(batch, time, features\) with time >= 1; received shape \(5, 4\)"
    with pytest.raises(ValueError, match=message):
        forward(x[0], *weights)
    with pytest.raises(ValueError, match=r"with time >= 1; received shape \(3, 0, 4\)"):
        forward(x[:, :0], *weights)  # no time step: no state to return
    with pytest.raises(ValueError, match=rf"{name} expects a floating-point x; received dtype int64"):
        forward(x.astype(np.int64), *weights)
    with pytest.raises(ValueError, match=rf"{name} expects kernel of shape .*received shape \(3, "):
        forward(x, weights[0][:3], *weights[1:])
    with pytest.raises(ValueError, match=rf"{name} expects bias of shape"):
        forward(x, *weights[:2], weights[2][..., :-1])
    with pytest.raises(ValueError, match=rf"{name} expects h0 of shape \(3, 6\); received shape \(3, 5\)"):
        forward(x, *weights, np.zeros((BATCH, UNITS - 1)))
    sequence, *_, cache = forward(x, *weights, return_cache=True)
    with pytest.raises(ValueError, match=rf"{name}_backward expects dsequence of shape \(3, 5, 6\); "
                                         r"received shape \(3, 4, 6\)"):
        backward(sequence[:, 1:], cache)
    with pytest.raises(ValueError, match=rf"{name}_backward expects dh of shape \(3, 6\); received shape \(6,\)"):
        backward(None, cache, np.ones(UNITS))
    with pytest.raises(ValueError, match=rf"{name}_backward expects dsequence of shape \(3, 5, 6\); "
                                         r"received shape \(3, 5, 1\)"):
        backward(sequence[..., :1], cache)  # would broadcast: refused


def rejects_nan(cell, where):
    """NaN or inf anywhere in the inputs, the states or the incoming gradient: a ValueError naming it."""
    weights = keras_layer(cell).get_weights()
    x, states = sequences_and_states(cell)
    inputs = {"x": x, "kernel": weights[0], "recurrent_kernel": weights[1], "bias": weights[2]}
    inputs.update(zip(cell.states, states, strict=True))
    names = list(inputs)
    if where == "dsequence":
        sequence, *_, cache = cell.forward(*inputs.values(), return_cache=True)
        bad = np.ones_like(sequence)
        bad[0, 0, 0] = np.nan
        with pytest.raises(ValueError, match=rf"{cell.name}_backward expects finite values in dsequence"):
            cell.backward(bad, cache)
        return
    for value in (np.nan, np.inf):
        bad = {k: v.copy() for k, v in inputs.items()}
        bad[where].flat[0] = value
        with pytest.raises(ValueError, match=rf"{cell.name} expects finite values in {names[names.index(where)]}"):
            cell.forward(*bad.values())


def splitting_a_sequence_property(cell):
    """Running the first k steps, then the rest from the states reached, equals running it all at once."""
    weights = keras_layer(cell).get_weights()

    @settings(max_examples=25, deadline=None)
    @given(st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**32 - 1), st.floats(0.01, 100.0))
    def check(time, batch, seed, scale):
        k = seed % time
        rng = np.random.default_rng(seed)
        x = scale * rng.standard_normal((batch, time, FEATURES))
        whole = cell.forward(x, *weights)
        first = cell.forward(x[:, :k], *weights) if k else None
        states = first[1:] if k else []
        rest = cell.forward(x[:, k:], *weights, *states)
        sequence = np.concatenate([first[0], rest[0]], axis=1) if k else rest[0]
        np.testing.assert_allclose(sequence, whole[0], rtol=1e-12, atol=1e-12)
        for a, b in zip(rest[1:], whole[1:], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
        assert np.all(np.abs(whole[0]) <= 1.0)

    check()
