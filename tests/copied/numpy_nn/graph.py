"""How each section of snippets/numpy_nn/graph.py is used when copied alone."""

USES = {
    "normalize": """
a_hat = normalize_adjacency(np.array([[0, 1], [1, 0]]))
assert np.allclose(a_hat, 0.5)  # degrees 2 with the self-loops
""",
    "graph_conv": """
rng = np.random.default_rng(0)
a = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)  # a path
x, w = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
y = graph_conv(a, x, w)
assert y.shape == (3, 2)
dy = rng.standard_normal((3, 2))
dx, dw = graph_conv_backward(dy, a, x, w)
eps, e = 1e-6, np.zeros_like(w)
e[3, 1] = eps
numeric = ((graph_conv(a, x, w + e) * dy).sum() - (graph_conv(a, x, w - e) * dy).sum()) / (2 * eps)
assert abs(numeric - dw[3, 1]) < 1e-6 and dx.shape == x.shape
""",
}
NEEDS = {
    "graph_conv": ["snippets/numpy_nn/graph.py:normalize"],
}
