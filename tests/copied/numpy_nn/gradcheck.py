"""How each section of snippets/numpy_nn/gradcheck.py is used when copied alone."""

USES = {
    "gradcheck": """
x = np.array([0.3, -1.2, 2.0])
numeric = numerical_gradient(lambda z: np.sum(np.sin(z)), x)
assert relative_error(numeric, np.cos(x)) < 1e-9
err = check_gradient(lambda z: np.sum(z ** 3), x, 3 * x ** 2)
assert err < 1e-9
try:
    check_gradient(lambda z: np.sum(z ** 3), x, 2 * x ** 2)
    raise RuntimeError("a wrong gradient passed")
except AssertionError:
    pass
""",
}
