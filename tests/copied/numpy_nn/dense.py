"""How each section of snippets/numpy_nn/dense.py is used when copied alone."""

USES = {
    "dense": """
rng = np.random.default_rng(0)
layer = Dense(2, 3, rng, dtype=np.float64)
x = np.array([[0.0, 1.0], [1.0, 1.0]])
y = layer.forward(x)
assert y.shape == (2, 3)
dx = layer.backward(np.ones_like(y))
assert dx.shape == x.shape
assert layer.grads["W"].tolist() == [[1.0] * 3, [2.0] * 3]
assert layer.grads["b"].tolist() == [2.0, 2.0, 2.0]
try:
    layer.forward(np.zeros((2, 5)))
except ValueError as error:
    assert "x of shape (batch, 2)" in str(error)
else:
    raise AssertionError("a wrong shape was accepted")
""",
}
NEEDS = {}
