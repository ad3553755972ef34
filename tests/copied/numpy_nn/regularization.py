"""How each section of snippets/numpy_nn/regularization.py is used when copied alone."""

USES = {
    "penalties": """
W = np.array([[1.0, -2.0], [0.0, 3.0]])
loss, dW = l1_penalty(W, l1=0.1)
assert np.isclose(loss, 0.6) and dW.tolist() == [[0.1, -0.1], [0.0, 0.1]]
loss, dW = l2_penalty(W, l2=0.1)
assert np.isclose(loss, 1.4) and np.allclose(dW, 0.2 * W)
""",
    "dropout": """
drop = Dropout(0.25, np.random.default_rng(0))
x = np.ones((200, 50), np.float32)
y = drop.forward(x, training=True)
assert y.dtype == np.float32 and abs(np.mean(y == 0) - 0.25) < 0.01
assert abs(y.mean() - 1) < 0.02
assert np.array_equal(drop.backward(x), y)  # the same mask
assert drop.forward(x) is x  # inference: the identity
""",
    "batchnorm": """
rng = np.random.default_rng(0)
bn = BatchNorm(3)
x = (rng.standard_normal((64, 3)) * 5 + 2).astype(np.float32)
y = bn.forward(x, training=True)
assert np.allclose(y.mean(axis=0), 0, atol=1e-5)
assert np.allclose(y.std(axis=0), 1, atol=1e-3)
dx = bn.backward(np.ones_like(y))
assert dx.shape == x.shape and np.allclose(dx, 0, atol=1e-5)
assert bn.forward(x).shape == x.shape  # inference: the moving statistics
""",
}
NEEDS = {}
