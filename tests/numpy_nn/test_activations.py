"""Activations: equal to keras.activations, gradient-checked, stable on extreme inputs, strict on bad input."""

import warnings

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.numpy_nn import activations as act
from tests.reference import assert_backward_matches, assert_matches_tf

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 7)) * 3

KERAS_TWINS = {
    "relu": keras.activations.relu,
    "sigmoid": keras.activations.sigmoid,
    "tanh": keras.activations.tanh,
}


@pytest.mark.parametrize("name", sorted(KERAS_TWINS))
def test_matches_keras(name):
    assert_matches_tf(getattr(act, name), KERAS_TWINS[name], X.astype(np.float32))


def test_step_is_heaviside():
    np.testing.assert_array_equal(act.step(np.array([-2.0, 0.0, 1e-9, 3.0])), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(act.step_backward(np.ones(3), np.array([-1.0, 0.5, 2.0])), np.zeros(3))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_backward_matches_finite_differences(name):
    x = X.copy()
    x[np.abs(x) < 1e-3] = 0.5  # keep away from ReLU's kink, where the derivative is not defined
    assert_backward_matches(getattr(act, name), getattr(act, f"{name}_backward"), x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_sigmoid_is_finite_and_silent_on_extreme_inputs(dtype, data):
    x = data.draw(arrays(dtype, st.integers(1, 20), elements=st.floats(-1e4, 1e4, width=32)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act.sigmoid(x)
        dx = act.sigmoid_backward(np.ones_like(x), x)
    assert np.all(np.isfinite(y)) and np.all((y >= 0) & (y <= 1))
    assert np.all(np.isfinite(dx))
    assert y.dtype == dtype


def test_naive_sigmoid_overflows_where_ours_does_not():
    x = np.array([-1000.0, 0.0, 1000.0])
    with pytest.warns(RuntimeWarning, match="overflow"):
        1 / (1 + np.exp(-x))
    np.testing.assert_allclose(act.sigmoid(x), [0.0, 0.5, 1.0])


def test_integer_input_is_promoted():
    np.testing.assert_array_equal(act.relu(np.array([-1, 2])), [0.0, 2.0])


@pytest.mark.parametrize("name", ["step", "relu", "sigmoid", "tanh"])
def test_rejects_nan_and_non_numbers(name):
    with pytest.raises(ValueError, match="NaN"):
        getattr(act, name)(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="dtype"):
        getattr(act, name)(np.array(["a", "b"]))
