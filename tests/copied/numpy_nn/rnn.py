"""How each section of snippets/numpy_nn/rnn.py is used when copied alone."""

USES = {
    "checks": """
x = np.zeros((2, 3, 4))
kernel, recurrent_kernel, bias = np.zeros((4, 5)), np.zeros((5, 5)), np.zeros(5)
assert check_recurrent("f", x, kernel, recurrent_kernel, bias, gates=1)[1] == 5
assert initial_state("f", "h0", None, x, 5).shape == (2, 5)
assert not gradient_or_zeros("f", "dh", None, (2, 5), x.dtype).any()
try:
    check_recurrent("f", x, kernel[:3], recurrent_kernel, bias, gates=1)
except ValueError as error:
    assert "expects kernel of shape (4, 5)" in str(error)
else:
    raise AssertionError("a kernel of the wrong shape was accepted")
""",
    "simple_rnn": """
rng = np.random.default_rng(0)
x = rng.standard_normal((2, 6, 3))
weights = [rng.standard_normal(s) for s in [(3, 4), (4, 4), (4,)]]
sequence, h = simple_rnn(x, *weights)
assert sequence.shape == (2, 6, 4) and np.array_equal(sequence[:, -1], h)
assert np.all(np.abs(sequence) < 1)
""",
    "simple_rnn_backward": """
rng = np.random.default_rng(0)
x = rng.standard_normal((2, 6, 3))
weights = [rng.standard_normal(s) for s in [(3, 4), (4, 4), (4,)]]
sequence, h, cache = simple_rnn(x, *weights, return_cache=True)
dx, dkernel, drecurrent_kernel, dbias, dh0 = simple_rnn_backward(
    np.ones_like(sequence), cache)
assert dx.shape == x.shape and dkernel.shape == (3, 4) and dh0.shape == (2, 4)
eps = 1e-6  # one entry of dkernel against a central difference
plus, minus = weights[0].copy(), weights[0].copy()
plus[0, 0] += eps
minus[0, 0] -= eps
numeric = (simple_rnn(x, plus, *weights[1:])[0].sum()
           - simple_rnn(x, minus, *weights[1:])[0].sum()) / (2 * eps)
assert abs(numeric - dkernel[0, 0]) < 1e-6
""",
}
NEEDS = {
    "simple_rnn": ["snippets/numpy_nn/rnn.py:checks"],
    "simple_rnn_backward": ["snippets/numpy_nn/rnn.py:checks", "snippets/numpy_nn/rnn.py:simple_rnn"],
}
