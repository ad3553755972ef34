"""How each section of snippets/numpy_nn/gru.py is used when copied alone."""

USES = {
    "gru": """
rng = np.random.default_rng(0)
units = 4
x = rng.standard_normal((2, 6, 3))
weights = [rng.standard_normal(s) for s in [(3, 3 * units), (units, 3 * units),
                                             (2, 3 * units)]]
sequence, h = gru(x, *weights)
assert sequence.shape == (2, 6, units) and np.array_equal(sequence[:, -1], h)
sequence, h, cache = gru(x, *weights, return_cache=True)
dx, dkernel, drecurrent_kernel, dbias, dh0 = gru_backward(
    np.ones_like(sequence), cache)
assert dx.shape == x.shape and dbias.shape == (2, 12) and dh0.shape == (2, 4)
eps = 1e-6  # one entry of drecurrent_kernel against a central difference
plus, minus = weights[1].copy(), weights[1].copy()
plus[1, 6] += eps
minus[1, 6] -= eps
numeric = (gru(x, weights[0], plus, weights[2])[0].sum()
           - gru(x, weights[0], minus, weights[2])[0].sum()) / (2 * eps)
assert abs(numeric - drecurrent_kernel[1, 6]) < 1e-6
""",
}
NEEDS = {
    "gru": ["snippets/numpy_nn/activations.py:sigmoid", "snippets/numpy_nn/rnn.py:checks"],
}
