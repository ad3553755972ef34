"""How each section of snippets/numpy_nn/looped.py is used when copied alone."""

USES = {
    "dense_loops": """
rng = np.random.default_rng(0)
x, W, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), np.ones(2)
np.testing.assert_allclose(dense_loops(x, W, b), x @ W + b)
np.testing.assert_allclose(dense_rows(x, W, b), x @ W + b)
""",
    "conv_loops": """
rng = np.random.default_rng(0)
x, kernel = rng.standard_normal((2, 5, 5, 3)), rng.standard_normal((3, 3, 3, 4))
y = conv2d_loops(x, kernel)
assert y.shape == (2, 3, 3, 4)
# one output pixel by hand: the window under the kernel, summed
window = x[1, 2:5, 0:3, :]
np.testing.assert_allclose(y[1, 2, 0], np.einsum("abc,abcd->d", window, kernel))
""",
}
NEEDS = {}
