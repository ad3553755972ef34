"""Deep MLPs for gradient flow: structure, per-layer gradient norms against a hand tape, activations, clipping."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.tf_zoo.gradients import (
    VARIANTS,
    clipped_losses,
    deep_mlp,
    layer_gradient_norms,
    layer_outputs,
    variant_gradient_norms,
)


def data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 64)).astype("float32"), rng.integers(0, 10, n)


@pytest.mark.parametrize("batch_norm", [False, True])
def test_deep_mlp_layers_and_parameter_count(batch_norm):
    model = deep_mlp(depth=4, units=8, batch_norm=batch_norm)
    dense = [layer for layer in model.layers if layer.name.startswith("dense_")]
    assert [layer.name for layer in dense] == ["dense_0", "dense_1", "dense_2", "dense_3"]
    if batch_norm:  # no Dense bias; BN holds gamma, beta, moving mean and variance
        expected = 64 * 8 + 3 * 8 * 8 + 4 * 4 * 8 + 8 * 10 + 10
    else:
        expected = 64 * 8 + 8 + 3 * (8 * 8 + 8) + 8 * 10 + 10
    assert model.count_params() == expected


def test_float_initializer_draws_fresh_normal_weights_per_layer():
    keras.utils.set_random_seed(0)
    model = deep_mlp(depth=3, units=64, initializer=0.4, num_features=64)
    kernels = [keras.ops.convert_to_numpy(model.get_layer(f"dense_{i}").kernel) for i in range(3)]
    assert not np.allclose(kernels[1], kernels[2])
    for W in kernels:
        assert W.std() == pytest.approx(0.4, rel=0.05)


def test_gradient_norms_match_a_hand_written_tape():
    keras.utils.set_random_seed(0)
    x, y = data()
    model = deep_mlp(depth=3, units=8)
    norms = layer_gradient_norms(model, x, y)
    kernels = [model.get_layer(f"dense_{i}").kernel for i in range(3)]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)))
    expected = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    np.testing.assert_allclose(norms, expected, rtol=1e-5)


def test_deep_sigmoid_gradients_vanish_and_he_relu_ones_do_not():
    x, y = data(64)
    norms = variant_gradient_norms(x, y, {k: VARIANTS[k] for k in ("sigmoid, Glorot init", "ReLU, He init")})
    sigmoid, relu = norms["sigmoid, Glorot init"], norms["ReLU, He init"]
    assert sigmoid[0] / sigmoid[-1] < 1e-8
    assert 0.1 < relu[0] / relu[-1] < 10


def test_layer_outputs_are_the_activations_of_the_dense_outputs():
    keras.utils.set_random_seed(0)
    x, _ = data()
    model = deep_mlp(depth=3, units=8, activation="relu")
    z = layer_outputs(model, x, prefix="dense_")
    h = layer_outputs(model, x)
    assert len(z) == len(h) == 3
    for z_i, h_i in zip(z, h, strict=True):
        np.testing.assert_allclose(h_i, np.maximum(z_i, 0), rtol=1e-6)


def test_clipping_keeps_the_exploding_network_finite():
    x, y = data(64)
    keras.utils.set_random_seed(0)
    free = clipped_losses(deep_mlp(activation="relu", initializer=0.4), x, y, steps=3, lr=0.01)
    keras.utils.set_random_seed(0)
    clipped = clipped_losses(deep_mlp(activation="relu", initializer=0.4), x, y, steps=3, lr=0.01, clipnorm=1.0)
    assert free[0] == pytest.approx(clipped[0])  # the same network before the first step
    assert np.all(np.isfinite(clipped)) and clipped[-1] < clipped[0]
    assert not np.all(np.isfinite(free)) or free[1] > 1e6 * free[0]


def test_bad_sizes_and_unnamed_layers_are_rejected_clearly():
    with pytest.raises(ValueError, match="depth >= 1 and units >= 1; received depth=0"):
        deep_mlp(depth=0)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, name="head")(inputs))
    with pytest.raises(ValueError, match=r"layers named dense_0.*received \[.*'head'\]"):
        layer_gradient_norms(model, np.zeros((2, 3), "float32"), np.zeros(2, int))
