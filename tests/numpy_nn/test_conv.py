"""conv2d and conv2d_backward against tf.nn.conv2d, tf.GradientTape and central differences."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.conv import conv2d, conv2d_backward, conv_padding
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
    with pytest.raises(ValueError, match=r"dy of shape \(1, 3, 3, 1\); received shape \(1, 5, 5, 1\)"):
        conv2d_backward(np.zeros((1, 5, 5, 1)), np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)))
