"""How each section of snippets/numpy_nn/overfitting.py is used when copied alone."""

USES = {
    "noisy_labels": """
y = np.arange(1000) % 10
noisy = noisy_labels(y, 0.5, seed=0)
assert noisy.shape == y.shape and y.tolist() == (np.arange(1000) % 10).tolist()
assert 0.35 < np.mean(noisy != y) < 0.55  # a redrawn label can be right
assert np.array_equal(noisy_labels(y, 0.0), y)
""",
    "train_mlp": """
rng = np.random.default_rng(0)
x = rng.standard_normal((60, 5))
y = (x[:, 0] > 0).astype(int)
p = train_mlp(x, y, units=16, steps=200, lr=0.5)
assert accuracy(p, x, y) > 0.9
p_reg = train_mlp(x, y, l2=0.1, rate=0.5, units=16, steps=200, lr=0.5)
assert np.abs(p_reg["W1"]).sum() < np.abs(p["W1"]).sum()
results = sweep(x, y, x, y, "l2", [0.0, 10.0], units=16, steps=50)
assert results[0.0][0] > results[10.0][0]
""",
}
NEEDS = {
    "train_mlp": ["snippets/numpy_nn/regularization.py:dropout"],
}
