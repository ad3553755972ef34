"""Sequential: learns digits for real, early stopping restores the best weights, gradients check end to end."""

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn import losses
from snippets.numpy_nn.activations import tanh, tanh_backward
from snippets.numpy_nn.dense import Dense
from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.network import Activation, Sequential, mlp
from snippets.numpy_nn.optimizers import SGD, Adam
from snippets.numpy_nn.regularization import BatchNorm, Dropout
from snippets.tf_zoo.datasets import digits_arrays

LOSS = partial(losses.sparse_categorical_cross_entropy, from_logits=True)
LOSS_BACKWARD = partial(losses.sparse_categorical_cross_entropy_backward, from_logits=True)


def classifier(layers):
    return Sequential(layers, LOSS, LOSS_BACKWARD)


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, y_test) = digits_arrays(seed=0, test_size=0.25)
    return x_train, x_test, y_train, y_test


def test_mlp_learns_digits(digits):
    x_train, x_test, y_train, y_test = digits
    rng = np.random.default_rng(0)
    model = classifier(mlp([64, 128, 64, 10], rng))
    _, accuracy_before = model.evaluate(x_test, y_test)
    history = model.fit(x_train, y_train, Adam(learning_rate=1e-3), epochs=40, batch_size=32, rng=rng)
    _, accuracy = model.evaluate(x_test, y_test)
    assert accuracy_before < 0.3
    assert accuracy >= 0.97
    assert history["loss"][-1] < history["loss"][0] / 10


def test_mlp_layers_and_parameter_count():
    layers = mlp([784, 128, 64, 10], np.random.default_rng(0))
    assert [type(layer).__name__ for layer in layers] == ["Dense", "Activation"] * 2 + ["Dense"]
    assert sum(v.size for layer in layers for v in layer.params.values()) == 109_386
    relu = layers[1]
    np.testing.assert_array_equal(relu.forward(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(relu.backward(np.ones(3)), [0.0, 0.0, 1.0])


def test_early_stopping_restores_best_weights(digits):
    x_train, _, y_train, _ = digits
    x_fit, x_val, y_fit, y_val = x_train[:60], x_train[600:], y_train[:60], y_train[600:]
    rng = np.random.default_rng(1)
    # a tiny training set and a large step overfit quickly, so validation loss turns up early
    model = classifier(mlp([64, 256, 10], rng))
    history = model.fit(x_fit, y_fit, Adam(learning_rate=0.01), epochs=200, batch_size=20, rng=rng,
                        validation_data=(x_val, y_val), patience=3)
    assert len(history["val_loss"]) < 200
    best = min(history["val_loss"])
    assert history["val_loss"][-1] > best
    assert model.evaluate(x_val, y_val)[0] == pytest.approx(best, rel=1e-5)


def test_whole_network_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    layers = [Dense(4, 6, rng, dtype=np.float64), BatchNorm(6, dtype=np.float64), Activation(tanh, tanh_backward),
              Dropout(0.0, rng), Dense(6, 3, rng, dtype=np.float64)]
    model = classifier(layers)
    x, y = rng.standard_normal((5, 4)), np.array([0, 2, 1, 1, 0])

    def loss(_):
        return model.loss(y, model.forward(x, training=True))

    dx = model.backward(model.loss_backward(y, model.forward(x, training=True)))
    assert dx.shape == x.shape
    for key, param in model.params.items():
        if key == "0.b":  # batch norm subtracts the batch mean, so this bias has no effect: gradient 0
            np.testing.assert_allclose(model.grads[key], 0, atol=1e-12)
            continue
        check_gradient(loss, param, model.grads[key].copy())


def test_training_keeps_float32_weights_in_float32():
    rng = np.random.default_rng(4)
    model = classifier(mlp([6, 8, 3], rng))
    x, y = rng.standard_normal((16, 6), dtype=np.float32), rng.integers(0, 3, 16)
    optimizer = Adam()
    model.train_step(x, y, optimizer)
    assert {p.dtype for p in model.params.values()} == {np.dtype(np.float32)}
    assert {m.dtype for m in [*optimizer.m.values(), *optimizer.v.values()]} == {np.dtype(np.float32)}


def test_every_layer_keeps_its_own_arrays_and_all_are_trained():
    rng = np.random.default_rng(9)
    model = classifier([*mlp([6, 8, 3], rng), BatchNorm(3, dtype=np.float64)])
    before = {key: value.copy() for key, value in model.params.items()}
    x, y = rng.standard_normal((16, 6), dtype=np.float32), rng.integers(0, 3, 16)
    optimizer = Adam(learning_rate=0.01)
    for _ in range(3):
        model.train_step(x, y.astype(np.int64), optimizer)
    assert model.params["0.W"] is model.layers[0].params["W"]  # the layer's own array, updated in place
    assert {key for key in before if not np.array_equal(model.params[key], before[key])} == set(before)


def test_mse_regression_and_evaluate_without_labels():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (64, 1))
    y = 3 * x - 1
    model = Sequential([Dense(1, 1, rng, dtype=np.float64)], losses.mse, losses.mse_backward)
    model.fit(x, y, SGD(learning_rate=0.1), epochs=100, batch_size=16, rng=rng)
    loss, accuracy = model.evaluate(x, y)
    assert loss < 1e-6 and np.isnan(accuracy)
    assert model.predict(x[:0]).shape == (0, 1)  # an empty batch predicts nothing, without an error


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 40), batch_size=st.integers(1, 50))
def test_fit_visits_every_sample_once_per_epoch(n, batch_size):
    seen = []

    class Recorder:
        params, grads = {}, {}

        def forward(self, x):
            seen.extend(x[:, 0].tolist())
            return x

        def backward(self, dy):
            return dy

    model = Sequential([Recorder()], lambda y, y_hat: 0.0, lambda y, y_hat: np.zeros_like(y_hat))
    x = np.arange(n, dtype=np.float64)[:, None]
    model.fit(x, np.zeros(n), SGD(), epochs=2, batch_size=batch_size, rng=np.random.default_rng(0))
    assert sorted(seen) == sorted(list(range(n)) * 2)


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="loss_backward\\(y, y_hat\\); received str and NoneType"):
        Sequential([], "hinge", None)
    with pytest.raises(ValueError, match="received str and function"):
        Activation("softplus", tanh_backward)
    with pytest.raises(ValueError, match="layers with forward, backward, params and grads; received int"):
        Sequential([3], LOSS, LOSS_BACKWARD)
    model = classifier(mlp([4, 3], np.random.default_rng(0)))
    x, y, rng = np.zeros((4, 4), np.float32), np.zeros(4, int), np.random.default_rng(0)
    with pytest.raises(ValueError, match="as many labels as samples, at least one; received 5 samples and 4"):
        model.fit(np.zeros((5, 4), np.float32), y, SGD(), 1, 2, rng)
    with pytest.raises(ValueError, match="received 0 samples and 0 labels"):
        model.fit(x[:0], y[:0], SGD(), 1, 2, rng)
    with pytest.raises(ValueError, match="validation_data when patience is set"):
        model.fit(x, y, SGD(), 1, 2, rng, patience=2)
    with pytest.raises(ValueError, match="positive integer epochs; received epochs=-1"):
        model.fit(x, y, SGD(), epochs=-1, batch_size=2, rng=rng)
    with pytest.raises(ValueError, match="positive integer batch_size; received batch_size=0"):
        model.fit(x, y, SGD(), epochs=1, batch_size=0, rng=rng)
    with pytest.raises(ValueError, match="positive integer batch_size; received batch_size=2.0"):
        model.fit(x, y, SGD(), epochs=1, batch_size=2.0, rng=rng)
    with pytest.raises(ValueError, match="positive integer patience; received patience=0"):
        model.fit(x, y, SGD(), 1, 2, rng, validation_data=(x, y), patience=0)
    with pytest.raises(ValueError, match="rng to be a np.random.Generator; received int"):
        model.fit(x, y, SGD(), epochs=1, batch_size=2, rng=0)
    with pytest.raises(ValueError, match="Activation.backward expects a forward call first"):
        mlp([2, 2, 2], rng)[1].backward(np.ones((1, 2)))
    relu = mlp([2, 2, 2], rng)[1]
    relu.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"Activation.backward expects dy of shape \(3, 2\); received shape \(2,\)"):
        relu.backward(np.ones(2))  # would broadcast: refused
    with pytest.raises(ValueError, match="at least an input and an output size"):
        mlp([3], rng)
