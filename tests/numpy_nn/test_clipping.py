"""Gradient clipping: equal to TensorFlow's clip ops, strict on bad input."""

import numpy as np
import pytest
import tensorflow as tf

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


@pytest.mark.parametrize("fn", [clip_by_value, clip_by_norm, clip_by_global_norm])
def test_rejects_non_positive_threshold(fn):
    with pytest.raises(ValueError, match="> 0; received"):
        fn(GRADS, 0)
