"""How each section of snippets/numpy_nn/lstm.py is used when copied alone."""

USES = {
    "lstm": """
rng = np.random.default_rng(0)
units = 4
x = rng.standard_normal((2, 6, 3))
weights = [rng.standard_normal(s) for s in [(3, 4 * units), (units, 4 * units),
                                             (4 * units,)]]
sequence, h, c = lstm(x, *weights)
assert sequence.shape == (2, 6, units) and np.array_equal(sequence[:, -1], h)
sequence, h, c, cache = lstm(x, *weights, return_cache=True)
dx, dkernel, drecurrent_kernel, dbias, dh0, dc0 = lstm_backward(
    np.ones_like(sequence), cache)
assert dx.shape == x.shape and dkernel.shape == (3, 16) and dc0.shape == (2, 4)
eps = 1e-6  # one entry of dbias against a central difference
plus, minus = weights[2].copy(), weights[2].copy()
plus[5] += eps
minus[5] -= eps
numeric = (lstm(x, *weights[:2], plus)[0].sum()
           - lstm(x, *weights[:2], minus)[0].sum()) / (2 * eps)
assert abs(numeric - dbias[5]) < 1e-6
""",
}
NEEDS = {
    "lstm": ["snippets/numpy_nn/activations.py:sigmoid", "snippets/numpy_nn/rnn.py:checks"],
}
