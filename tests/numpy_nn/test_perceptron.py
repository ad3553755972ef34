"""The article's perceptron function and the learning Perceptron: logic gates, XOR's failure, bad input."""

import numpy as np
import pytest

from snippets.numpy_nn.perceptron import Perceptron, perceptron

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def test_article_function_computes_weighted_sum_then_step():
    assert perceptron(np.array([1.0, 1.0]), np.array([0.5, 0.5]), -0.7) == 1
    assert perceptron(np.array([1.0, 0.0]), np.array([0.5, 0.5]), -0.7) == 0
    assert perceptron(np.array([0.0, 0.0]), np.array([0.5, 0.5]), 0.0) == 0  # step(0) = 0


@pytest.mark.parametrize("gate, y", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0])])
def test_learns_linearly_separable_gates(gate, y):
    model = Perceptron(learning_rate=0.1).fit(X_GATES, np.array(y))
    np.testing.assert_array_equal(model.predict(X_GATES), y, err_msg=gate)
    assert model.errors_per_epoch[-1] == 0
    # the learned weights drive the article's function to the same answers
    assert [perceptron(x, model.weights, model.bias) for x in X_GATES] == y


def test_never_learns_xor():
    y = np.array([0, 1, 1, 0])
    model = Perceptron(learning_rate=0.1, max_epochs=200).fit(X_GATES, y)
    assert len(model.errors_per_epoch) == 200 and min(model.errors_per_epoch) > 0
    assert (model.predict(X_GATES) != y).sum() >= 1


def test_bad_input_is_rejected_with_clear_messages():
    with pytest.raises(ValueError, match=r"shape \(num_samples, num_features\)"):
        Perceptron().fit(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"labels 0 or 1"):
        Perceptron().fit(X_GATES, np.array([0, 1, 2, 1]))
    with pytest.raises(ValueError, match="before fit"):
        Perceptron().predict(X_GATES)
    with pytest.raises(ValueError, match="learning_rate"):
        Perceptron(learning_rate=-1)
    with pytest.raises(ValueError, match=r"\(num_samples, 2\)"):
        Perceptron().fit(X_GATES, np.array([0, 0, 0, 1])).predict(np.zeros((3, 5)))
