"""The noisy-label NumPy MLP: label noise, gradients checked numerically, L2 and dropout as the page claims."""

import numpy as np
import pytest

from snippets.numpy_nn.overfitting import accuracy, noisy_labels, sweep, train_mlp
from tests.reference import assert_backward_matches


def test_noisy_labels_redraws_the_given_fraction_and_keeps_the_input():
    y = np.arange(5000) % 10
    noisy = noisy_labels(y, 0.3, seed=1)
    assert np.array_equal(y, np.arange(5000) % 10)
    assert np.mean(noisy != y) == pytest.approx(0.3 * 0.9, abs=0.02)
    assert set(np.unique(noisy)) <= set(range(10))
    assert np.array_equal(noisy_labels(y, 0.3, seed=1), noisy)  # reproducible


@pytest.mark.parametrize("fraction", [-0.1, 1.5, float("nan")])
def test_noisy_labels_rejects_a_fraction_outside_0_1(fraction):
    with pytest.raises(ValueError, match="fraction in \\[0, 1\\]; received"):
        noisy_labels(np.zeros(3, int), fraction)


def _loss(p, x, y, l2):
    logits = np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean() + l2 * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))


@pytest.mark.parametrize("key", ["W1", "b1", "W2", "b2"])
def test_one_step_is_gradient_descent_on_the_penalised_loss(key):
    rng = np.random.default_rng(0)
    x, y, l2, lr = rng.standard_normal((12, 5)), rng.integers(0, 3, 12), 0.05, 1e-3
    p0 = train_mlp(x, y, l2=l2, units=6, steps=0, seed=3)
    p1 = train_mlp(x, y, l2=l2, units=6, steps=1, lr=lr, seed=3)
    step_grad = (p0[key] - p1[key]) / lr  # the gradient the step used

    def forward(value):
        return _loss({**p0, key: value}, x, y, l2)

    def backward(dy, value):
        return dy * step_grad

    assert_backward_matches(forward, backward, p0[key].copy(), tol=1e-6)


def test_l2_and_dropout_help_on_noisy_labels_as_the_page_says():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((4, 20)) * 1.5
    y_all = rng.integers(0, 4, 600)
    x_all = centers[y_all] + rng.standard_normal((600, 20))
    x, y = x_all[:100], noisy_labels(y_all[:100], 0.4, num_classes=4)
    results = sweep(x, y, x_all[100:], y_all[100:], "l2", [0.0, 3e-2], units=64, steps=300, lr=0.3)
    assert results[0.0][0] == 1.0  # memorises the wrong labels too
    assert results[3e-2][1] > results[0.0][1] + 0.03
    dropout = sweep(x, y, x_all[100:], y_all[100:], "rate", [0.8], units=64, steps=300, lr=0.3)
    assert dropout[0.8][1] > results[0.0][1]


def test_accuracy_is_inference_without_dropout():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((30, 4)), rng.integers(0, 2, 30)
    p = train_mlp(x, y, rate=0.5, units=8, steps=20)
    assert accuracy(p, x, y) == accuracy(p, x, y)  # deterministic: no mask


@pytest.mark.parametrize(
    "x, y, l2",
    [(np.zeros(5), np.zeros(5, int), 0.0),  # x not 2-D
     (np.zeros((5, 2)), np.zeros(4, int), 0.0),  # one label short
     (np.zeros((5, 2)), np.zeros(5, int), -1.0)],  # negative penalty
)
def test_train_mlp_rejects_bad_input_naming_what_it_received(x, y, l2):
    with pytest.raises(ValueError, match=r"expects x of shape \(batch, features\).*received x of shape"):
        train_mlp(x, y, l2=l2, steps=1)
