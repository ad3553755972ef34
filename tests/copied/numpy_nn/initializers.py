"""How each section of snippets/numpy_nn/initializers.py is used when copied alone."""

USES = {
    "initializers": """
rng = np.random.default_rng(0)
W = glorot_uniform((300, 200), rng)
assert W.dtype == np.float32 and np.abs(W).max() <= np.sqrt(6 / 500)
H = he_normal((300, 200), rng)
assert abs(H.std() - np.sqrt(2 / 300)) < 0.01
assert not zeros((2, 3)).any()
""",
}
NEEDS = {}
