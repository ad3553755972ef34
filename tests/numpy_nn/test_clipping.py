"""Gradient clipping: equal to TensorFlow's clip ops, dtype-preserving, no overflow, strict on bad input."""

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.clipping import clip_by_global_norm, clip_by_norm, clip_by_value

RNG = np.random.default_rng(0)
GRADS = {"W": RNG.standard_normal((4, 3)) * 5, "b": RNG.standard_normal(3)}


def test_clip_by_value_matches_tf():
    out = clip_by_value(GRADS, 1.5)
    for k, g in GRADS.items():
        np.testing.assert_allclose(out[k], tf.clip_by_value(g, -1.5, 1.5).numpy())


def test_clip_by_norm_matches_tf():
    out = clip_by_norm(GRADS, 2.0)
    for k, g in GRADS.items():
        np.testing.assert_allclose(out[k], tf.clip_by_norm(g, 2.0).numpy(), rtol=1e-12)


def test_clip_by_global_norm_matches_tf():
    out, norm = clip_by_global_norm(GRADS, 2.0)
    expected, tf_norm = tf.clip_by_global_norm(list(GRADS.values()), 2.0)
    assert norm == pytest.approx(float(tf_norm))
    for got, want in zip(out.values(), expected, strict=True):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-12)


def test_small_gradients_pass_unchanged():
    out, _ = clip_by_global_norm(GRADS, 1e6)
    for k in GRADS:
        np.testing.assert_array_equal(out[k], GRADS[k])


@pytest.mark.parametrize("fn", [clip_by_value, clip_by_norm, lambda g, c: clip_by_global_norm(g, c)[0]])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_keeps_the_dtype(fn, dtype):
    grads = {k: v.astype(dtype) for k, v in GRADS.items()}
    assert all(g.dtype == dtype for g in fn(grads, 1.0).values())


def test_huge_float64_gradients_do_not_overflow():
    # the square of 1e200 overflows float64, but the norms (2e200, 2.8e200) and the clipped results fit
    grads = {"W": np.array([1e200, -1e200, 1e200, -1e200]), "b": np.array([2e200, 2e200])}
    out = clip_by_norm(grads, 1.0)
    np.testing.assert_allclose(out["W"], [0.5, -0.5, 0.5, -0.5])
    np.testing.assert_allclose(np.linalg.norm(out["b"]), 1.0)
    out, norm = clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(np.sqrt(12) * 1e200)
    np.testing.assert_allclose(out["W"], np.array([1, -1, 1, -1]) / np.sqrt(12))
    np.testing.assert_array_equal(clip_by_value(grads, 1.0)["W"], [1, -1, 1, -1])


@settings(max_examples=50, deadline=None)
@given(scale=st.floats(1e-300, 1e300), clipnorm=st.floats(1e-3, 1e3))
def test_clipped_norm_never_exceeds_the_bound(scale, clipnorm):
    g = {"g": np.array([3.0, -4.0]) * scale}
    norm = np.hypot(*clip_by_norm(g, clipnorm)["g"])
    assert norm <= clipnorm * (1 + 1e-12)
    assert norm == pytest.approx(min(clipnorm, 5 * scale), rel=1e-12)


@pytest.mark.parametrize("fn", [clip_by_value, clip_by_norm, clip_by_global_norm])
def test_rejects_non_positive_threshold(fn):
    with pytest.raises(ValueError, match="> 0; received"):
        fn(GRADS, 0)


@pytest.mark.parametrize("fn", [clip_by_value, clip_by_norm, clip_by_global_norm])
def test_rejects_nan_gradients(fn):
    with pytest.raises(ValueError, match=r"received NaN.* in grads\['b'\]"):
        fn({"W": np.ones(2), "b": np.array([1.0, np.nan])}, 1.0)
