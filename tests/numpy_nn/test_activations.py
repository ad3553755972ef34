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


# --- hostile input (issue 14): infinities, dtypes, degenerate shapes, bad dy ---

ALL = ["step", "relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "swish", "softmax", "log_softmax"]


@pytest.mark.parametrize("approximate", [False, True])
def test_gelu_keeps_float32_and_is_finite_at_huge_inputs(approximate):
    x = np.array([-1e30, -50.0, -1.0, 0.0, 1.0, 50.0, 1e30], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act.gelu(x, approximate=approximate)
        dx = act.gelu_backward(np.ones_like(x), x, approximate=approximate)
    assert y.dtype == np.float32 and dx.dtype == np.float32
    np.testing.assert_array_equal(y[[0, 1, 5, 6]], x[[0, 1, 5, 6]].clip(0, None))  # 0 or x itself
    np.testing.assert_array_equal(dx[[0, 1, 5, 6]], [0.0, 0.0, 1.0, 1.0])


def test_gelu_approximate_backward_matches_keras_tape():
    import tensorflow as tf

    x = np.linspace(-6, 6, 25)
    with tf.GradientTape() as tape:
        t = tf.constant(x)
        tape.watch(t)
        y = keras.activations.gelu(t, approximate=True)
    np.testing.assert_allclose(act.gelu_backward(np.ones_like(x), x, approximate=True),
                               tape.gradient(y, t).numpy(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_infinite_inputs_give_the_limits(dtype):
    x = np.array([-np.inf, np.inf], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("gelu", "swish"):
            np.testing.assert_array_equal(getattr(act, name)(x), [0.0, np.inf], err_msg=name)
            np.testing.assert_array_equal(getattr(act, f"{name}_backward")(np.ones(2, dtype), x), [0.0, 1.0],
                                          err_msg=name)
        np.testing.assert_array_equal(act.gelu(x, approximate=True), [0.0, np.inf])
        s = act.softmax(np.array([[np.inf, 0.0, -np.inf], [np.inf, np.inf, 1.0], [1.0, 2.0, -np.inf]], dtype))
        np.testing.assert_allclose(s[:2], [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
        np.testing.assert_allclose(s[2], [*act.softmax(np.array([1.0, 2.0], dtype)), 0.0], rtol=1e-6)
        assert s.dtype == dtype
        log_s = act.log_softmax(np.array([np.inf, 0.0], dtype))
        np.testing.assert_array_equal(log_s, [0.0, -np.inf])
        assert np.isfinite(act.softmax_backward(np.ones((1, 3), dtype), np.array([[np.inf, 0.0, 1.0]], dtype))).all()


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_never_nan_and_silent_on_any_non_nan_input(name, dtype, data):
    """Property: any non-NaN input, infinities and the largest floats included, gives no NaN and no warning."""
    x = data.draw(arrays(dtype, st.tuples(st.integers(1, 3), st.integers(1, 5)),
                         elements=st.floats(allow_nan=False, width=np.dtype(dtype).itemsize * 8)))
    if name in ("softmax", "log_softmax"):
        x[:, 0] = np.where(np.isneginf(x[:, 0]), 0.0, x[:, 0])  # a slice of only -inf has no softmax
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(act, name)(x)
        dx = getattr(act, f"{name}_backward")(np.ones_like(x), x)
    assert not np.isnan(y).any() and not np.isnan(dx).any()
    assert y.dtype == dtype and dx.dtype == dtype


def test_softmax_of_degenerate_slices():
    with pytest.raises(ValueError, match=r"at least one value along axis -1; received shape \(3, 0\)"):
        act.softmax(np.zeros((3, 0)))
    with pytest.raises(ValueError, match=r"at least one value along axis 0; received shape \(0, 2\)"):
        act.log_softmax(np.zeros((0, 2)), axis=0)
    with pytest.raises(ValueError, match="only -inf"):
        act.softmax(np.array([[0.0, 1.0], [-np.inf, -np.inf]]))
    assert act.softmax(np.zeros((0, 4))).shape == (0, 4)  # no rows: an empty, correct answer
    with pytest.raises(ValueError, match="at least one value"):
        act.softmax(np.float64(1.0))


@pytest.mark.parametrize("name", ALL)
def test_backward_rejects_nan_and_misshaped_dy(name):
    backward = getattr(act, f"{name}_backward")
    x = np.array([[0.5, -1.0, 2.0]])
    with pytest.raises(ValueError, match=rf"{name}_backward expects .*dy.*NaN"):
        backward(np.array([[1.0, np.nan, 1.0]]), x)
    with pytest.raises(ValueError, match=rf"{name}_backward expects .*dy of x's shape \(1, 3\).*received shape \(3,\)"):
        backward(np.ones(3), x)  # would broadcast silently
    with pytest.raises(ValueError, match=rf"{name}_backward expects .*received shape \(2, 3\)"):
        backward(np.ones((2, 3)), x)


@pytest.mark.parametrize("name", ALL)
def test_forward_and_backward_reject_nan_x(name):
    with pytest.raises(ValueError, match="NaN"):
        getattr(act, name)(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="NaN"):
        getattr(act, f"{name}_backward")(np.ones((1, 2)), np.array([[np.nan, 1.0]]))


def test_module_imports_without_scipy():
    import subprocess
    import sys

    code = ("import sys, builtins\n"
            "real = builtins.__import__\n"
            "def guard(name, *a, **k):\n"
            "    if name.split('.')[0] == 'scipy': raise ImportError('scipy is not a dependency')\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = guard\n"
            "import snippets.numpy_nn.activations as act\n"
            "assert 'scipy' not in sys.modules\n"
            "print(float(act.gelu(1.0)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert abs(float(out.stdout) - 0.8413447460685429) < 1e-12


def test_one_sigmoid_and_one_log_softmax_in_the_package():
    from snippets.numpy_nn import losses, two_layer

    assert losses.sigmoid is act.sigmoid and two_layer.sigmoid is act.sigmoid
    assert losses.log_softmax is act.log_softmax


def test_gelu_exact_matches_keras_far_out():
    x = np.array([-40.0, -20.0, -8.0, 8.0, 20.0, 45.0], np.float32)
    assert_matches_tf(act.gelu, keras.activations.gelu, x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_of_the_largest_floats_is_silent(dtype):
    big = np.finfo(dtype).max
    x = np.array([-big, big], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(act.softmax(x), [0.0, 1.0])
        np.testing.assert_array_equal(act.log_softmax(x), [-np.inf, 0.0])
        np.testing.assert_array_equal(act.log_softmax_backward(np.ones(2, dtype), x), [1.0, -1.0])


@pytest.mark.parametrize("name", ALL)
def test_backward_rejects_a_non_numeric_dy(name):
    with pytest.raises(ValueError, match=rf"{name}_backward expects a numeric dy.*dtype <U1"):
        getattr(act, f"{name}_backward")(np.array(["a", "b"]), np.zeros(2))


@pytest.mark.parametrize("name, arg", [("leaky_relu", "negative_slope"), ("elu", "alpha")])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), "0.2", None])
def test_parameters_must_be_finite_numbers(name, arg, value):
    x = np.array([-1.0, 1.0])
    with pytest.raises(ValueError, match=rf"{name} expects a finite number {arg}; received {arg}="):
        getattr(act, name)(x, value)
    with pytest.raises(ValueError, match=rf"{name}_backward expects a finite number {arg}"):
        getattr(act, f"{name}_backward")(np.ones(2), x, value)


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
def test_parameters_keep_float32(name):
    x = np.array([-1.0, 1.0], np.float32)
    assert getattr(act, name)(x, np.float32(0.1)).dtype == np.float32
    assert getattr(act, f"{name}_backward")(np.ones(2, np.float32), x, 0.1).dtype == np.float32
