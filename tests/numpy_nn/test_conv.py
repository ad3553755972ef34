"""conv2d and conv2d_backward against tf.nn.conv2d, tf.GradientTape and central differences."""

import re

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.conv import add_windows, conv2d, conv2d_backward, conv_padding, windows
from tests.reference import assert_backward_matches, assert_gradients_match_tape, assert_matches_tf

CASES = [
    # (x shape, kernel shape, strides, padding)
    ((2, 7, 7, 3), (3, 3, 3, 4), 1, "valid"),
    ((2, 7, 7, 3), (3, 3, 3, 4), 1, "same"),
    ((1, 8, 9, 2), (2, 3, 2, 3), (2, 3), "same"),  # even kernel: TF pads the extra pixel after
    ((1, 6, 5, 1), (4, 2, 1, 2), (3, 2), "valid"),  # stride that leaves rows unread
    ((3, 5, 5, 2), (1, 1, 2, 5), 2, "same"),
    # patch matrix of 40 * 40 * 9 * 64 float64 = 7.4 MB per image: the batch goes through in several groups
    ((3, 40, 40, 64), (3, 3, 64, 2), 1, "same"),
]


def _tf_conv(strides, padding):
    return lambda x, k: tf.nn.conv2d(x, k, strides, padding.upper())


@pytest.mark.parametrize(("x_shape", "k_shape", "strides", "padding"), CASES)
def test_forward_matches_tf(x_shape, k_shape, strides, padding):
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    y = assert_matches_tf(
        lambda a, b: conv2d(a, b, strides, padding), _tf_conv(strides, padding), x, kernel, rtol=1e-10, atol=1e-10
    )
    assert y.dtype == np.float64


@pytest.mark.parametrize(("x_shape", "k_shape", "strides", "padding"), CASES)
def test_backward_matches_gradient_tape(x_shape, k_shape, strides, padding):
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    assert_gradients_match_tape(
        _tf_conv(strides, padding),
        lambda dy, a, b: conv2d_backward(dy, a, b, strides, padding),
        x,
        kernel,
        rtol=1e-10,
        atol=1e-10,
    )


@pytest.mark.parametrize(("x_shape", "k_shape", "strides", "padding"), CASES[1:3])
def test_backward_matches_central_differences(x_shape, k_shape, strides, padding):
    rng = np.random.default_rng(2)
    x, kernel = rng.standard_normal(x_shape), rng.standard_normal(k_shape)
    assert_backward_matches(
        lambda a: conv2d(a, kernel, strides, padding),
        lambda dy, a: conv2d_backward(dy, a, kernel, strides, padding)[0],
        x,
    )
    assert_backward_matches(
        lambda k: conv2d(x, k, strides, padding),
        lambda dy, k: conv2d_backward(dy, x, k, strides, padding)[1],
        kernel,
    )


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 2),
    height=st.integers(1, 9),
    width=st.integers(1, 9),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
)
def test_random_sizes_match_tf(batch, height, width, c_in, c_out, kh, kw, sh, sw, padding):
    if padding == "valid" and (kh > height or kw > width):
        return  # TensorFlow rejects these too; covered by test_rejects_kernel_larger_than_image
    rng = np.random.default_rng(3)
    x = rng.standard_normal((batch, height, width, c_in))
    kernel = rng.standard_normal((kh, kw, c_in, c_out))
    strides = (sh, sw)
    assert_matches_tf(
        lambda a, b: conv2d(a, b, strides, padding), _tf_conv(strides, padding), x, kernel, rtol=1e-10, atol=1e-10
    )
    assert_gradients_match_tape(
        _tf_conv(strides, padding),
        lambda dy, a, b: conv2d_backward(dy, a, b, strides, padding),
        x,
        kernel,
        rtol=1e-10,
        atol=1e-10,
    )


def test_float32_stays_float32_and_matches_tf():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 10, 10, 3)).astype(np.float32)
    kernel = rng.standard_normal((3, 3, 3, 8)).astype(np.float32)
    y = assert_matches_tf(conv2d, lambda a, b: tf.nn.conv2d(a, b, 1, "VALID"), x, kernel, rtol=1e-4, atol=1e-4)
    assert y.dtype == np.float32
    dx, dkernel = conv2d_backward(np.ones_like(y), x, kernel)
    assert dx.dtype == np.float32 and dkernel.dtype == np.float32


def test_padding_arithmetic_matches_tf_output_sizes():
    for size in range(1, 12):
        for k in range(1, 5):
            for s in range(1, 4):
                out, before, after = conv_padding(size, k, s, "same")
                assert out == -(-size // s) and 0 <= before <= after <= before + 1
                if k <= size:
                    assert conv_padding(size, k, s, "valid") == ((size - k) // s + 1, 0, 0)


def test_extreme_values_stay_finite():
    x = np.full((1, 4, 4, 1), 1e150)
    kernel = np.full((2, 2, 1, 1), 1e150)
    with np.errstate(over="raise"):
        y = conv2d(x, kernel * 1e-150, padding="same")
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y[0, 0, 0, 0], 4e150)


@pytest.mark.parametrize(
    ("x", "kernel", "kwargs", "message"),
    [
        (np.zeros((28, 28)), np.zeros((3, 3, 1, 1)), {}, r"x of shape \(batch, height, width, channels\); "
         r"received shape \(28, 28\)"),
        (np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 1, 1)), {}, r"in_channels=2.*received shape \(3, 3, 1, 1\)"),
        (np.zeros((1, 5, 5, 1), dtype=np.int64), np.zeros((3, 3, 1, 1)), {}, "floating-point x; received dtype int64"),
        (np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1), dtype=int), {}, "floating-point kernel"),
        (np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), {"strides": 0}, "strides.*received 0"),
        (np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), {"strides": (1, 2, 3)}, "strides"),
        (np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), {"padding": "full"}, "padding 'valid' or 'same'; "
         "received 'full'"),
    ],
)
def test_rejects_bad_inputs(x, kernel, kwargs, message):
    with pytest.raises(ValueError, match=message):
        conv2d(x, kernel, **kwargs)


def test_rejects_kernel_larger_than_image():
    with pytest.raises(ValueError, match="no larger than the image"):
        conv2d(np.zeros((1, 2, 2, 1)), np.zeros((3, 3, 1, 1)))


def test_backward_rejects_wrong_dy_shape():
    with pytest.raises(ValueError, match=r"dy of shape \(1, 3, 3, 1\), the output.s; received shape \(1, 5, 5, 1\)"):
        conv2d_backward(np.zeros((1, 5, 5, 1)), np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)))


# Hostile input (issue 14): NaN, wrong types, degenerate batches, dy of the wrong shape


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["x", "kernel"])
def test_rejects_non_finite_values(bad, where):
    x, kernel = np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1))
    if where == "x":
        x[0, 1, 1, 0] = bad
    else:
        kernel[1, 1, 0, 0] = bad
    with pytest.raises(ValueError, match=rf"conv2d expects finite values in {where}; received 1 NaN or infinite"):
        conv2d(x, kernel)
    with pytest.raises(ValueError, match=rf"conv2d_backward expects finite values in {where}"):
        conv2d_backward(np.ones((1, 3, 3, 1)), x, kernel)


@pytest.mark.parametrize(
    ("strides", "received"),
    [(1.0, r"received 1\.0"), ("1", r"received '1'"), (True, "received True"), ((1, 2.5), r"received \(1, 2\.5\)"),
     ([1, -1], r"received \[1, -1\]"), (None, "received None"), (np.array([1, 1]), r"received array")],
)
def test_rejects_strides_of_the_wrong_type(strides, received):
    with pytest.raises(ValueError, match="conv2d expects strides to be a positive int or a pair of them; " + received):
        conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), strides=strides)


@pytest.mark.parametrize(
    ("x", "kernel", "message"),
    [
        ([[[[1.0]]]], np.ones((1, 1, 1, 1), dtype=complex), "floating-point kernel; received dtype complex128"),
        (np.ones((1, 4, 4, 1), dtype=object), np.ones((1, 1, 1, 1)), "floating-point x; received dtype object"),
        (np.ones((1, 4, 4, 1)), np.ones((3, 3, 1)), r"kernel of shape \(height, width, in_channels=1, out_channels\); "
         r"received shape \(3, 3, 1\)"),
        (np.ones((1, 0, 4, 1)), np.ones((1, 1, 1, 1)), r"height and width >= 1; received shape \(1, 0, 4, 1\)"),
        ("image", np.ones((1, 1, 1, 1)), r"received shape \(\)"),
    ],
)
def test_rejects_wrong_types_and_shapes(x, kernel, message):
    with pytest.raises(ValueError, match=message):
        conv2d(x, kernel)


def test_nested_lists_work_like_arrays():
    x, kernel = [[[[1.0], [2.0]], [[3.0], [4.0]]]], [[[[1.0]], [[1.0]]], [[[1.0]], [[1.0]]]]
    assert conv2d(x, kernel).tolist() == [[[[10.0]]]]


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_a_batch_of_zero_images_gives_empty_results(padding):
    x, kernel = np.ones((0, 5, 5, 2)), np.ones((3, 3, 2, 4))
    y = conv2d(x, kernel, 2, padding)
    assert y.shape == (0, 2 if padding == "valid" else 3, y.shape[2], 4) and y.shape[1] == y.shape[2]
    dx, dkernel = conv2d_backward(np.ones(y.shape), x, kernel, 2, padding)
    assert dx.shape == x.shape and np.array_equal(dkernel, np.zeros_like(kernel))


def test_zero_channels_give_zeros():
    y = conv2d(np.ones((1, 4, 4, 0)), np.ones((3, 3, 0, 2)), padding="same")
    assert y.shape == (1, 4, 4, 2) and not y.any()


@pytest.mark.parametrize(
    "dy_shape", [(1, 3, 3), (1, 3, 3, 2), (2, 3, 3, 1), (1, 4, 4, 1), ()],
)
def test_backward_names_the_expected_and_received_dy_shape(dy_shape):
    expected = r"dy of shape \(1, 3, 3, 1\), the output's; received shape " + re.escape(str(dy_shape))
    with pytest.raises(ValueError, match=expected):
        conv2d_backward(np.ones(dy_shape), np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)))


def test_backward_rejects_nan_and_integer_dy():
    x, kernel = np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1))
    with pytest.raises(ValueError, match="finite values in dy; received 1 NaN"):
        conv2d_backward(np.pad(np.full((1, 1, 1, 1), np.nan), ((0, 0), (0, 2), (0, 2), (0, 0))), x, kernel)
    with pytest.raises(ValueError, match="floating-point dy; received dtype int64"):
        conv2d_backward(np.ones((1, 3, 3, 1), dtype=np.int64), x, kernel)


@settings(max_examples=30, deadline=None)
@given(
    height=st.integers(1, 7),
    width=st.integers(1, 7),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
)
def test_add_windows_is_the_transpose_of_windows(height, width, kh, kw, sh, sw, padding):
    """<windows(x), g> == <x, add_windows(g)> for every x and g: add_windows is exactly the backward of windows."""
    if padding == "valid" and (kh > height or kw > width):
        return
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, height, width, 3))
    view = windows(x, (kh, kw), (sh, sw), padding)
    g = rng.standard_normal(view.shape)
    np.testing.assert_allclose(np.sum(view * g), np.sum(x * add_windows(g, x.shape, (sh, sw), padding)), rtol=1e-10)


@settings(max_examples=20, deadline=None)
@given(scale=st.floats(1e-150, 1e150), shift=st.integers(0, 3))
def test_conv2d_is_linear_and_shift_equivariant(scale, shift):
    """conv(a x) = a conv(x); shifting the image by whole strides shifts the output (the weight sharing)."""
    rng = np.random.default_rng(6)
    x, kernel = rng.standard_normal((1, 9, 9, 2)), rng.standard_normal((3, 3, 2, 2))
    np.testing.assert_allclose(conv2d(scale * x, kernel), scale * conv2d(x, kernel), rtol=1e-10)
    shifted = np.roll(x, shift, axis=2)
    np.testing.assert_allclose(conv2d(shifted, kernel)[:, :, shift:], conv2d(x, kernel)[:, :, : 7 - shift], rtol=1e-10)
