"""Initializers: Keras' scales, reproducible from an explicit rng, strict on bad input."""

import keras
import numpy as np
import pytest

from snippets.numpy_nn import initializers as init

SHAPE = (300, 200)


@pytest.mark.parametrize("name", ["glorot_uniform", "he_normal"])
def test_statistics_match_keras(name):
    ours = getattr(init, name)(SHAPE, np.random.default_rng(0))
    theirs = keras.initializers.get({"class_name": name, "config": {"seed": 0}})(SHAPE).numpy()
    assert ours.dtype == np.float32 and ours.shape == SHAPE
    assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
    assert np.abs(ours).max() <= np.abs(theirs).max() * 1.01  # same truncation / limit


def test_same_seed_same_weights():
    a = init.he_normal((3, 4), np.random.default_rng(7))
    b = init.he_normal((3, 4), np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_zeros_and_float64():
    assert not init.zeros((2, 3)).any()
    assert init.glorot_uniform((2, 3), np.random.default_rng(0), dtype=np.float64).dtype == np.float64


def test_rejects_bad_input():
    with pytest.raises(ValueError, match=r"at least 2 axes; received \(5,\)"):
        init.glorot_uniform((5,), np.random.default_rng(0))
    for fn in (init.glorot_uniform, init.he_normal, init.zeros):
        with pytest.raises(ValueError, match="floating-point dtype; received dtype int64"):
            fn((3, 2), np.random.default_rng(0), dtype=np.int64)
