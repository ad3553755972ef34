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
    "leaky_relu": keras.activations.leaky_relu,
    "elu": keras.activations.elu,
    "gelu": keras.activations.gelu,
    "swish": keras.activations.silu,
    "softmax": keras.activations.softmax,
    "log_softmax": keras.activations.log_softmax,
}


@pytest.mark.parametrize("name", sorted(KERAS_TWINS))
def test_matches_keras(name):
    assert_matches_tf(getattr(act, name), KERAS_TWINS[name], X.astype(np.float32))


def test_step_is_heaviside():
    np.testing.assert_array_equal(act.step(np.array([-2.0, 0.0, 1e-9, 3.0])), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(act.step_backward(np.ones(3), np.array([-1.0, 0.5, 2.0])), np.zeros(3))


BACKWARDS = ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "swish", "softmax", "log_softmax"]


def test_gelu_approximate_matches_keras():
    assert_matches_tf(lambda x: act.gelu(x, approximate=True), lambda x: keras.activations.gelu(x, approximate=True),
                      X.astype(np.float32))


@pytest.mark.parametrize("axis", [0, 1])
def test_softmax_axis_matches_keras(axis):
    assert_matches_tf(lambda x: act.softmax(x, axis=axis), lambda x: keras.activations.softmax(x, axis=axis),
                      X.astype(np.float32))
    assert_matches_tf(lambda x: act.log_softmax(x, axis=axis),
                      lambda x: keras.activations.log_softmax(x, axis=axis), X.astype(np.float32))


def test_gelu_approximate_backward_matches_finite_differences():
    assert_backward_matches(lambda x: act.gelu(x, approximate=True),
                            lambda dy, x: act.gelu_backward(dy, x, approximate=True), X.copy())


@pytest.mark.parametrize("name", BACKWARDS)
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


STABLE = ["sigmoid", "softmax", "log_softmax", "swish", "elu", "gelu"]


@pytest.mark.parametrize("name", STABLE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_finite_and_silent_on_extreme_inputs(name, dtype, data):
    x = data.draw(arrays(dtype, st.tuples(st.integers(1, 4), st.integers(1, 6)),
                         elements=st.floats(-1e4, 1e4, width=32)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(act, name)(x)
        dx = getattr(act, f"{name}_backward")(np.ones_like(x), x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))
    assert y.dtype == dtype and dx.dtype == dtype


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    x = np.array([[1e4, -1e4, 0.0], [5.0, 5.0, 5.0]], np.float32)
    np.testing.assert_allclose(act.softmax(x).sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(act.log_softmax(x)[0], [0.0, -2e4, -1e4])


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "gelu", "swish", "softmax", "log_softmax"])
def test_new_activations_reject_nan_and_non_numbers(name):
    with pytest.raises(ValueError, match="NaN"):
        getattr(act, name)(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="dtype"):
        getattr(act, name)(np.array(["a", "b"]))
