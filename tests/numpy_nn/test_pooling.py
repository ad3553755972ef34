"""max_pool2d / avg_pool2d and their backward passes against TensorFlow and central differences."""

import functools
import re

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.pooling import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward
from tests.reference import assert_backward_matches, assert_gradients_match_tape, assert_matches_tf

POOLS = {
    "max": (max_pool2d, max_pool2d_backward, tf.nn.max_pool2d),
    "avg": (avg_pool2d, avg_pool2d_backward, tf.nn.avg_pool2d),
}
CASES = [
    # (x shape, pool_size, strides, padding)
    ((2, 6, 6, 3), 2, None, "valid"),
    ((2, 7, 7, 2), 2, None, "same"),  # odd size: the last window hangs over the edge
    ((1, 7, 8, 2), 3, 2, "same"),  # overlapping windows
    ((1, 9, 7, 1), (3, 2), (1, 3), "valid"),
]
# TensorFlow's float64 max pooling is only float32-exact on CPU (differences of ~1e-8 in the forward pass)
TOL = {"max": 1e-6, "avg": 1e-10}


def _tf_pool(tf_fn, pool_size, strides, padding):
    strides = pool_size if strides is None else strides
    return lambda x: tf_fn(x, pool_size, strides, padding.upper())


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize(("x_shape", "pool_size", "strides", "padding"), CASES)
def test_matches_tf_forward_and_gradient(kind, x_shape, pool_size, strides, padding):
    forward, backward, tf_fn = POOLS[kind]
    x = np.random.default_rng(0).standard_normal(x_shape)
    tf_forward = _tf_pool(tf_fn, pool_size, strides, padding)
    assert_matches_tf(lambda a: forward(a, pool_size, strides, padding), tf_forward, x, rtol=TOL[kind], atol=TOL[kind])
    assert_gradients_match_tape(
        tf_forward, lambda dy, a: backward(dy, a, pool_size, strides, padding), x, rtol=1e-10, atol=1e-10
    )


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize(("x_shape", "pool_size", "strides", "padding"), CASES[1:3])
def test_backward_matches_central_differences(kind, x_shape, pool_size, strides, padding):
    forward, backward, _ = POOLS[kind]
    x = np.random.default_rng(1).standard_normal(x_shape)  # distinct values: max pooling is differentiable here
    assert_backward_matches(
        lambda a: forward(a, pool_size, strides, padding), lambda dy, a: backward(dy, a, pool_size, strides, padding), x
    )


@settings(max_examples=20, deadline=None)
@given(
    kind=st.sampled_from(sorted(POOLS)),
    height=st.integers(1, 9),
    width=st.integers(1, 9),
    ph=st.integers(1, 4),
    pw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
)
def test_random_sizes_match_tf(kind, height, width, ph, pw, sh, sw, padding):
    if padding == "valid" and (ph > height or pw > width):
        return  # rejected, see test_rejects_pool_larger_than_image
    forward, backward, tf_fn = POOLS[kind]
    x = np.random.default_rng(2).standard_normal((2, height, width, 2))
    args = ((ph, pw), (sh, sw), padding)
    tf_forward = _tf_pool(tf_fn, *args)
    assert_matches_tf(lambda a: forward(a, *args), tf_forward, x, rtol=TOL[kind], atol=TOL[kind])
    assert_gradients_match_tape(tf_forward, lambda dy, a: backward(dy, a, *args), x, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("pool_size", "strides", "padding"), [(3, 2, "same"), (2, None, "valid")])
def test_max_pool_on_bigger_relu_images_matches_tf(pool_size, strides, padding):
    """Bigger ReLU'd images, ties in every window of zeros: still exactly TensorFlow's routing."""
    x = np.maximum(np.random.default_rng(6).standard_normal((3, 70, 70, 16)), 0)  # ReLU'd: ties in every group
    tf_forward = _tf_pool(tf.nn.max_pool2d, pool_size, strides, padding)
    assert_matches_tf(lambda a: max_pool2d(a, pool_size, strides, padding), tf_forward, x, rtol=1e-6, atol=1e-6)
    assert_gradients_match_tape(
        tf_forward, lambda dy, a: max_pool2d_backward(dy, a, pool_size, strides, padding), x, rtol=1e-10, atol=1e-10
    )


@pytest.mark.parametrize("kind", POOLS)
def test_float32_in_float32_out(kind):
    forward, backward, _ = POOLS[kind]
    x = np.random.default_rng(3).standard_normal((2, 8, 8, 4)).astype(np.float32)
    y = forward(x, 2)
    assert y.dtype == np.float32 and y.shape == (2, 4, 4, 4)
    assert backward(np.ones_like(y), x, 2).dtype == np.float32


def test_max_pool_of_extreme_values_is_exact_and_finite():
    x = np.array([-np.finfo(np.float64).max, -1e308, 1e308, np.finfo(np.float64).max]).reshape(1, 2, 2, 1)
    with np.errstate(all="raise"):
        assert max_pool2d(x, 2, padding="same").item() == np.finfo(np.float64).max
        dx = max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)
    np.testing.assert_array_equal(dx.ravel(), [0, 0, 0, 1])


def test_avg_pool_same_padding_ignores_padded_pixels():
    x = np.ones((1, 3, 3, 1))
    np.testing.assert_array_equal(avg_pool2d(x, 2, padding="same"), np.ones((1, 2, 2, 1)))


@pytest.mark.parametrize("fn", [max_pool2d, avg_pool2d])
@pytest.mark.parametrize(
    ("x", "kwargs", "message"),
    [
        (np.zeros((28, 28)), {}, r"x of shape \(batch, height, width, channels\); received shape \(28, 28\)"),
        (np.zeros((1, 4, 4, 1), dtype=np.int32), {}, "floating-point x; received dtype int32"),
        (np.zeros((1, 4, 4, 1)), {"strides": -1}, "strides.*received -1"),
        (np.zeros((1, 4, 4, 1)), {"padding": "causal"}, "received 'causal'"),
    ],
)
def test_rejects_bad_inputs(fn, x, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(x, 2, **kwargs)


@pytest.mark.parametrize("fn", [max_pool2d, avg_pool2d])
def test_rejects_pool_larger_than_image(fn):
    with pytest.raises(ValueError, match=r"pool_size no larger than the image; received pool_size \(5, 5\)"):
        fn(np.zeros((1, 4, 4, 1)), 5)


@pytest.mark.parametrize("backward", [max_pool2d_backward, avg_pool2d_backward])
def test_backward_rejects_wrong_dy_shape(backward):
    with pytest.raises(ValueError, match=r"dy of shape \(1, 2, 2, 1\), the output.s; received shape \(1, 4, 4, 1\)"):
        backward(np.zeros((1, 4, 4, 1)), np.zeros((1, 4, 4, 1)), 2)


@pytest.mark.parametrize(("pool_size", "strides", "padding"), [(2, None, "valid"), (3, 1, "same"), (3, 2, "same")])
def test_max_pool_ties_go_to_the_first_pixel_like_tf(pool_size, strides, padding):
    """After a ReLU whole windows are 0: the gradient must go to one pixel per window, the one TF picks."""
    x = np.maximum(np.random.default_rng(5).standard_normal((2, 6, 6, 2)), 0) * (np.arange(6) % 2 == 0)[:, None]
    assert_gradients_match_tape(
        _tf_pool(tf.nn.max_pool2d, pool_size, strides, padding),
        lambda dy, a: max_pool2d_backward(dy, a, pool_size, strides, padding),
        x,
        rtol=1e-10,
        atol=1e-10,
    )


# Hostile input (issue 14): NaN, wrong types, degenerate batches, dy of the wrong shape
FORWARDS = {"max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d}
BACKWARDS = {"max_pool2d_backward": max_pool2d_backward, "avg_pool2d_backward": avg_pool2d_backward}


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("name", [*FORWARDS, *BACKWARDS])
def test_rejects_non_finite_values(name, bad):
    x = np.ones((1, 4, 4, 1))
    x[0, 2, 1, 0] = bad
    call = FORWARDS.get(name) or functools.partial(BACKWARDS[name], np.ones((1, 2, 2, 1)))
    with pytest.raises(ValueError, match=rf"{name} expects finite values in x; received 1 NaN or infinite"):
        call(x, 2)


@pytest.mark.parametrize("name", BACKWARDS)
def test_backward_rejects_nan_in_dy(name):
    dy = np.ones((1, 2, 2, 1))
    dy[0, 1, 0, 0] = np.nan
    with pytest.raises(ValueError, match=rf"{name} expects finite values in dy"):
        BACKWARDS[name](dy, np.ones((1, 4, 4, 1)), 2)


@pytest.mark.parametrize("fn", FORWARDS.values())
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pool_size": 2.0}, r"pool_size to be a positive int or a pair of them; received 2\.0"),
        ({"pool_size": "2"}, "pool_size.*received '2'"),
        ({"pool_size": (2,)}, r"pool_size.*received \(2,\)"),
        ({"pool_size": 2, "strides": 1.0}, r"strides to be a positive int or a pair of them; received 1\.0"),
        ({"pool_size": 2, "strides": (1, True)}, r"strides.*received \(1, True\)"),
        ({"pool_size": 2, "padding": None}, "padding 'valid' or 'same'; received None"),
    ],
)
def test_rejects_arguments_of_the_wrong_type(fn, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(np.ones((1, 4, 4, 1)), **kwargs)


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_a_batch_of_zero_images_gives_empty_results(kind, padding):
    forward, backward, tf_fn = POOLS[kind]
    x = np.ones((0, 5, 5, 3))
    y = forward(x, 2, padding=padding)
    assert y.shape == tuple(tf_fn(x, 2, 2, padding.upper()).shape)
    dx = backward(np.ones(y.shape), x, 2, padding=padding)
    assert dx.shape == x.shape


@pytest.mark.parametrize("backward", BACKWARDS.values())
@pytest.mark.parametrize("dy_shape", [(1, 2, 2), (2, 2, 2, 1), (1, 2, 2, 3), (1, 3, 3, 1)])
def test_backward_names_the_expected_and_received_dy_shape(backward, dy_shape):
    expected = r"dy of shape \(1, 2, 2, 1\), the output's; received shape " + re.escape(str(dy_shape))
    with pytest.raises(ValueError, match=expected):
        backward(np.ones(dy_shape), np.ones((1, 4, 4, 1)), 2)


def test_avg_pool_of_the_largest_floats_does_not_overflow():
    x = np.full((1, 2, 2, 1), np.finfo(np.float64).max)
    with np.errstate(all="raise"):
        y = avg_pool2d(x, 2)
        dx = avg_pool2d_backward(np.ones_like(y), x, 2)
    assert y.item() == pytest.approx(np.finfo(np.float64).max)
    np.testing.assert_array_equal(dx, np.full_like(x, 0.25))


@settings(max_examples=30, deadline=None)
@given(
    height=st.integers(1, 8),
    width=st.integers(1, 8),
    ph=st.integers(1, 3),
    pw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
    relu=st.booleans(),
)
def test_max_pool_backward_routes_each_gradient_to_one_window_maximum(height, width, ph, pw, sh, sw, padding, relu):
    """Whatever the sizes (ties included): nothing is lost or created, and only window maxima receive gradient."""
    if padding == "valid" and (ph > height or pw > width):
        return
    x = np.random.default_rng(7).standard_normal((2, height, width, 2))
    x = np.maximum(x, 0) if relu else x
    args = ((ph, pw), (sh, sw), padding)
    y = max_pool2d(x, *args)
    dy = np.random.default_rng(8).uniform(0.5, 1.5, y.shape)
    dx = max_pool2d_backward(dy, x, *args)
    np.testing.assert_allclose(dx.sum(axis=(1, 2)), dy.sum(axis=(1, 2)), rtol=1e-12)
    assert np.count_nonzero(dx) <= y.size  # one winner per window (overlapping windows may share it)
    assert set(np.unique(x[dx != 0])) <= set(np.unique(y))
