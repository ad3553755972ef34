"""Sequential: learns digits for real, early stopping restores the best weights, gradients check end to end."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from snippets.numpy_nn.dense import Dense
from snippets.numpy_nn.gradcheck import check_gradient
from snippets.numpy_nn.network import Activation, Sequential, mlp
from snippets.numpy_nn.optimizers import SGD, Adam
from snippets.numpy_nn.regularization import BatchNorm, Dropout


@pytest.fixture(scope="module")
def digits():
    x, y = load_digits(return_X_y=True)
    x = (x / 16).astype(np.float32)
    return train_test_split(x, y, test_size=0.25, random_state=0, stratify=y)


def test_mlp_learns_digits(digits):
    x_train, x_test, y_train, y_test = digits
    rng = np.random.default_rng(0)
    model = Sequential(mlp([64, 128, 64, 10], rng))
    _, accuracy_before = model.evaluate(x_test, y_test)
    history = model.fit(x_train, y_train, Adam(learning_rate=1e-3), epochs=40, batch_size=32, rng=rng)
    _, accuracy = model.evaluate(x_test, y_test)
    assert accuracy_before < 0.3
    assert accuracy >= 0.97
    assert history["loss"][-1] < history["loss"][0] / 10


def test_early_stopping_restores_best_weights(digits):
    x_train, _, y_train, _ = digits
    x_fit, x_val, y_fit, y_val = x_train[:60], x_train[600:], y_train[:60], y_train[600:]
    rng = np.random.default_rng(1)
    # a tiny training set and a large step overfit quickly, so validation loss turns up early
    model = Sequential(mlp([64, 256, 10], rng))
    history = model.fit(x_fit, y_fit, Adam(learning_rate=0.01), epochs=200, batch_size=20, rng=rng,
                        validation_data=(x_val, y_val), patience=3)
    assert len(history["val_loss"]) < 200
    best = min(history["val_loss"])
    assert history["val_loss"][-1] > best
    assert model.evaluate(x_val, y_val)[0] == pytest.approx(best, rel=1e-5)


def test_whole_network_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    layers = [Dense(4, 6, rng, dtype=np.float64), BatchNorm(6, dtype=np.float64), Activation("tanh"),
              Dropout(0.0, rng), Dense(6, 3, rng, dtype=np.float64)]
    model = Sequential(layers)
    x, y = rng.standard_normal((5, 4)), np.array([0, 2, 1, 1, 0])

    def loss(_):
        return model.loss_fn(y, model.forward(x, training=True), from_logits=True)

    model.forward(x, training=True)
    model.backward(model.loss_backward(y, model.forward(x, training=True), from_logits=True))
    for key, param in model.params.items():
        if key == "0.b":  # batch norm subtracts the batch mean, so this bias has no effect: gradient 0
            np.testing.assert_allclose(model.grads[key], 0, atol=1e-12)
            continue
        check_gradient(loss, param, model.grads[key].copy())


def test_training_skips_only_the_first_layers_input_gradient():
    rng = np.random.default_rng(3)
    model = Sequential(mlp([5, 7, 3], rng, dtype=np.float64))
    x, y = rng.standard_normal((4, 5)), np.array([0, 2, 1, 1])
    dy = model.loss_backward(y, model.forward(x, training=True), from_logits=True)
    dx = model.backward(dy)
    full = {key: grad.copy() for key, grad in model.grads.items()}
    assert dx.shape == x.shape
    assert model.backward(dy, input_grad=False) is None
    for key, grad in model.grads.items():
        np.testing.assert_array_equal(grad, full[key])


def test_adam_keeps_float32_weights_in_float32():
    rng = np.random.default_rng(4)
    model = Sequential(mlp([6, 8, 3], rng))
    x, y = rng.standard_normal((16, 6), dtype=np.float32), rng.integers(0, 3, 16)
    optimizer = Adam()
    model.train_step(x, y, optimizer)
    assert {p.dtype for p in model.params.values()} == {np.dtype(np.float32)}
    assert {m.dtype for m in [*optimizer.m.values(), *optimizer.v.values()]} == {np.dtype(np.float32)}


def _trained(model, steps=5, seed=5):
    rng = np.random.default_rng(seed)
    optimizer = Adam(learning_rate=0.01)
    for _ in range(steps):
        model.train_step(rng.standard_normal((16, 6), dtype=np.float32), rng.integers(0, 3, 16), optimizer)
    return {key: value.copy() for key, value in model.params.items()}


class ReplacesItsGrads(Dense):
    """A layer written the other way: backward binds new gradient arrays instead of filling its own."""

    def backward(self, dy, input_grad=True):
        self.grads = {"W": self.x.T @ dy, "b": dy.sum(axis=0)}
        return dy @ self.params["W"].T if input_grad else None


def test_flat_parameters_train_exactly_like_separate_arrays():
    flat = Sequential(mlp([6, 8, 3], np.random.default_rng(6)))
    buffer = flat._flat[0]["all"]
    assert all(np.shares_memory(p, buffer) for p in flat.params.values())  # the layers' arrays are views
    per_array = Sequential(mlp([6, 8, 3], np.random.default_rng(6)))
    per_array._flat = None  # the optimizer gets each array on its own
    after_flat, after_per_array = _trained(flat), _trained(per_array)
    for key, value in after_flat.items():
        np.testing.assert_array_equal(value, after_per_array[key])
    np.testing.assert_array_equal(buffer[:48].reshape(6, 8), flat.layers[0].params["W"])


def test_layers_of_different_dtypes_keep_their_own_arrays():
    rng = np.random.default_rng(9)
    model = Sequential([*mlp([6, 8, 3], rng), BatchNorm(3, dtype=np.float64)])
    assert model._flat is None
    before = {key: value.copy() for key, value in model.params.items()}
    after = _trained(model)
    assert {key for key in before if not np.array_equal(after[key], before[key])} == set(before)


def test_a_layer_that_replaces_its_grads_still_trains_correctly():
    rng = np.random.default_rng(8)
    replacing = Sequential([ReplacesItsGrads(6, 8, rng), Activation("relu"), Dense(8, 3, rng)])
    rng = np.random.default_rng(8)
    in_place = Sequential([Dense(6, 8, rng), Activation("relu"), Dense(8, 3, rng)])
    before = {key: value.copy() for key, value in replacing.params.items()}
    after_replacing, after_in_place = _trained(replacing), _trained(in_place)
    for key in before:
        assert not np.array_equal(after_replacing[key], before[key])  # every weight was updated...
        np.testing.assert_array_equal(after_replacing[key], after_in_place[key])  # ...exactly as in place


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="received 'hinge'"):
        Sequential([], loss="hinge")
    with pytest.raises(ValueError, match="received 'softplus'"):
        Activation("softplus")
    model = Sequential(mlp([4, 3], np.random.default_rng(0)))
    with pytest.raises(ValueError, match="as many labels as samples; received 5 and 4"):
        model.fit(np.zeros((5, 4), np.float32), np.zeros(4, int), SGD(), 1, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="validation_data when patience is set"):
        model.fit(np.zeros((4, 4), np.float32), np.zeros(4, int), SGD(), 1, 2, np.random.default_rng(0), patience=2)
