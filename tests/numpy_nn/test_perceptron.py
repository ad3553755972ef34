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


# --- hostile input (issue 14) ---

@pytest.mark.parametrize("learning_rate", [0, -1, float("nan"), float("inf"), True, "0.1", None])
def test_learning_rate_must_be_a_positive_finite_number(learning_rate):
    with pytest.raises(ValueError, match=r"positive, finite learning_rate; received learning_rate="):
        Perceptron(learning_rate=learning_rate)


@pytest.mark.parametrize("max_epochs", [0, -3, 2.5, float("nan"), True, "10"])
def test_max_epochs_must_be_a_positive_integer(max_epochs):
    with pytest.raises(ValueError, match=r"integer max_epochs >= 1; received max_epochs="):
        Perceptron(max_epochs=max_epochs)


def test_numpy_numbers_are_accepted():
    model = Perceptron(learning_rate=np.float32(0.5), max_epochs=np.int64(20)).fit(X_GATES, [0, 0, 0, 1])
    assert model.max_epochs == 20 and model.predict(X_GATES).tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_fit_rejects_nan_and_inf_features(bad):
    x = X_GATES.astype(float)
    x[2, 1] = bad
    with pytest.raises(ValueError, match="fit expects finite numbers in x"):
        Perceptron().fit(x, [0, 0, 0, 1])


def test_fit_rejects_empty_and_non_numeric_data():
    with pytest.raises(ValueError, match=r"at least one sample; received shape \(0, 2\)"):
        Perceptron().fit(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="finite numbers in x; received dtype <U1"):
        Perceptron().fit([["a", "b"]], [0])
    with pytest.raises(ValueError, match=r"y of shape \(4,\)"):
        Perceptron().fit(X_GATES, [0, 1])
    with pytest.raises(ValueError, match="labels 0 or 1"):
        Perceptron().fit(X_GATES, [0, 1, np.nan, 1])


@pytest.mark.parametrize("x", [[], np.zeros((0, 2)), [0.0, 1.0], np.zeros((4, 3))])
def test_predict_rejects_empty_and_misshaped_input(x):
    model = Perceptron().fit(X_GATES, [0, 0, 0, 1])
    with pytest.raises(ValueError, match=r"predict expects x of shape \(num_samples, 2\) with at least one sample"):
        model.predict(x)


def test_predict_rejects_nan():
    model = Perceptron().fit(X_GATES, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="predict expects finite numbers"):
        model.predict([[np.nan, 1.0]])


def test_article_function_cannot_take_a_batch():
    # the article's `if` on an array: the page shows this failure, so keep it true
    with pytest.raises(ValueError, match="truth value of an array"):
        perceptron(X_GATES, np.array([0.5, 0.5]), -0.7)
