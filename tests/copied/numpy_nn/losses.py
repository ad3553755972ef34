"""How each section of snippets/numpy_nn/losses.py is used when copied alone."""

USES = {
    "checks": """
y_true, y_pred = _check_pair("loss", [[1.0], [0.0]], np.array([[0.9], [0.2]]))
assert y_pred.shape == (2, 1)
_check_probabilities("loss", "y_pred", y_pred)
assert _check_labels("loss", [0, 2], np.zeros((2, 3))).tolist() == [0, 2]
clipped = _clip(np.array([0.0, 1.0], np.float16))  # float16 is computed in float32
assert clipped.dtype == np.float32 and 0 < clipped[0] and clipped[1] < 1
try:
    _check_y_pred("loss", np.zeros((0, 3)))
    raise AssertionError("accepted an empty batch")
except ValueError as error:
    assert "(0, 3)" in str(error)
""",
    "mse": """
y_true, y_pred = np.array([[1.0], [2.0]]), np.array([[1.5], [2.0]])
assert np.isclose(mse(y_true, y_pred), 0.125)
assert np.allclose(mse_backward(y_true, y_pred), [[0.5], [0.0]])
""",
    "binary_cross_entropy": """
y = np.array([[1.0], [0.0]])
p = np.array([[0.9], [0.2]])
expected = -(np.log(0.9) + np.log(0.8)) / 2
assert np.isclose(binary_cross_entropy(y, p), expected)
logits = np.log(p / (1 - p))
assert np.isclose(binary_cross_entropy(y, logits, from_logits=True), expected)
g = binary_cross_entropy_backward(y, logits, from_logits=True)
assert np.allclose(g, (p - y) / 2)
assert np.allclose(binary_cross_entropy_backward(y, p), [[-1 / 0.9 / 2], [1 / 0.8 / 2]])
""",
    "categorical_cross_entropy": """
t = np.array([[0.0, 1.0, 0.0]])
p = np.array([[0.2, 0.5, 0.3]])
assert np.isclose(categorical_cross_entropy(t, p), -np.log(0.5))
assert np.isclose(categorical_cross_entropy(t, np.log(p), from_logits=True), -np.log(0.5))
assert np.allclose(categorical_cross_entropy_backward(t, np.log(p), True), p - t)
assert categorical_cross_entropy_backward(t, p).shape == (1, 3)
""",
    "sparse_categorical_cross_entropy": """
logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
labels = np.array([0, 1])
loss = sparse_categorical_cross_entropy(labels, logits, from_logits=True)
p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
assert np.isclose(loss, -np.mean(np.log(p[[0, 1], labels])))
assert np.isclose(sparse_categorical_cross_entropy(labels, p), loss)
grad = sparse_categorical_cross_entropy_backward(labels, logits, True)
assert np.allclose(grad, (p - np.eye(3)[labels]) / 2)
assert sparse_categorical_cross_entropy_backward(labels, p).shape == (2, 3)
loss2, grad2 = sparse_categorical_cross_entropy_with_grad(labels, logits)
assert np.isclose(loss2, loss) and np.allclose(grad2, grad)
""",
}
NEEDS = {
    "mse": ["snippets/numpy_nn/losses.py:checks"],
    "binary_cross_entropy": ["snippets/numpy_nn/losses.py:checks", "snippets/numpy_nn/activations.py:sigmoid"],
    "categorical_cross_entropy": ["snippets/numpy_nn/losses.py:checks", "snippets/numpy_nn/activations.py:softmax"],
    "sparse_categorical_cross_entropy": [
        "snippets/numpy_nn/losses.py:checks", "snippets/numpy_nn/activations.py:softmax"],
}
