"""How each section of snippets/numpy_nn/capsule.py is used when copied alone."""

USES = {
    "squash": """
s = np.array([[3.0, 4.0], [0.0, 0.0], [1e300, 1e300]])
v = squash(s)
assert np.allclose(np.linalg.norm(v[0]), 25 / 26)  # |s| = 5: 25 / (1 + 25)
assert np.all(v[1] == 0) and np.all(np.isfinite(v))
ds = squash_backward(np.ones_like(s), s)
assert ds.shape == s.shape and np.all(np.isfinite(ds))
eps = 1e-6  # one entry against a central difference
plus, minus = s[:1].copy(), s[:1].copy()
plus[0, 0] += eps
minus[0, 0] -= eps
numeric = (squash(plus).sum() - squash(minus).sum()) / (2 * eps)
assert abs(numeric - ds[0, 0]) < 1e-6
""",
    "routing": """
rng = np.random.default_rng(0)
u = rng.standard_normal((2, 6, 4))  # 6 lower capsules of dimension 4
w = rng.standard_normal((6, 3, 4, 5))  # to 3 upper capsules of dimension 5
u_hat = capsule_predictions(u, w)
assert u_hat.shape == (2, 6, 3, 5)
v, c = dynamic_routing(u_hat, num_iterations=3)
assert v.shape == (2, 3, 5) and np.allclose(c.sum(axis=-1), 1.0)
assert np.all(np.linalg.norm(v, axis=-1) < 1)
""",
}
NEEDS = {
    "routing": ["snippets/numpy_nn/capsule.py:squash"],
}
