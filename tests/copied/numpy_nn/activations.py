"""How each section of snippets/numpy_nn/activations.py is used when copied alone."""

USES = {
    "checks": """
assert _check_float("f", [1, 2]).dtype == np.float64
for bad in (np.array([1.0, np.nan]), np.array(["a"])):
    try:
        _check_float("f", bad)
        raise AssertionError("accepted bad input")
    except ValueError:
        pass
try:
    _check_dy("f_backward", np.ones(3), np.ones(2))
    raise AssertionError("accepted a dy of the wrong shape")
except ValueError as error:
    assert "(2,)" in str(error) and "(3,)" in str(error)
_check_number("f", "alpha", 0.5)
try:
    _check_number("f", "alpha", float("nan"))
    raise AssertionError("accepted alpha=nan")
except ValueError:
    pass
""",
    "step": """
x = np.array([-2.0, 0.0, 0.5, 3.0])
assert step(x).tolist() == [0.0, 0.0, 1.0, 1.0]
assert step_backward(np.ones(4), x).tolist() == [0.0] * 4
""",
    "relu": """
x = np.array([-1.0, 0.0, 2.0])
assert relu(x).tolist() == [0.0, 0.0, 2.0]
assert relu_backward(np.ones(3), x).tolist() == [0.0, 0.0, 1.0]
""",
    "sigmoid": """
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("error")
    x = np.array([-1000.0, 0.0, 1000.0])
    assert sigmoid(x).tolist() == [0.0, 0.5, 1.0]
    assert sigmoid_backward(np.ones(3), x).tolist() == [0.0, 0.25, 0.0]
    assert sigmoid(np.float32(3.0)).dtype == np.float32
""",
    "tanh": """
x = np.array([-1.0, 0.0, 1.0])
assert np.allclose(tanh(x), np.tanh(x))
assert np.allclose(tanh_backward(np.ones(3), x), 1 - np.tanh(x) ** 2)
""",
    "leaky_relu": """
x = np.array([-2.0, 3.0])
assert np.allclose(leaky_relu(x), [-0.4, 3.0])
assert np.allclose(leaky_relu_backward(np.ones(2), x), [0.2, 1.0])
""",
    "elu": """
x = np.array([-1000.0, 0.0, 2.0])
assert np.allclose(elu(x), [-1.0, 0.0, 2.0])
assert np.allclose(elu_backward(np.ones(3), x), [0.0, 1.0, 1.0])
""",
    "gelu": """
x = np.array([-np.inf, -1.0, 0.0, 1.0, np.inf], dtype=np.float32)
y = gelu(x)
assert y.dtype == np.float32 and y[0] == 0 and y[-1] == np.inf
assert abs(y[3] - 0.8413447) < 1e-6  # 1 * Phi(1)
assert np.allclose(gelu(x, approximate=True)[1:4], y[1:4], atol=1e-3)
dx = gelu_backward(np.ones_like(x), x)
assert np.allclose(dx, [0.0, -0.0833155, 0.5, 1.0833155, 1.0])
assert np.isfinite(gelu_backward(np.ones(1), np.array([1e30]), True)).all()
""",
    "swish": """
x = np.array([-np.inf, 0.0, 2.0, np.inf])
assert np.allclose(swish(x), [0.0, 0.0, 2 * sigmoid(2.0), np.inf])
assert np.allclose(swish_backward(np.ones(4), x)[[0, 1, 3]], [0.0, 0.5, 1.0])
""",
    "softmax": """
z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0], [np.inf, np.inf, 0]])
s = softmax(z)
assert np.allclose(s.sum(axis=-1), 1) and np.allclose(s[2], [0.5, 0.5, 0])
assert np.allclose(log_softmax(z)[0], [0.0, -1000.0, -2000.0])
dy = np.array([[1.0, 0.0, 0.0]] * 3)
assert np.allclose(softmax_backward(dy, z).sum(axis=-1), 0)
assert np.allclose(log_softmax_backward(dy, z)[1], dy[1] - s[1])
""",
}
NEEDS = {
    "step": ["snippets/numpy_nn/activations.py:checks"],
    "relu": ["snippets/numpy_nn/activations.py:checks"],
    "tanh": ["snippets/numpy_nn/activations.py:checks"],
    "leaky_relu": ["snippets/numpy_nn/activations.py:checks"],
    "elu": ["snippets/numpy_nn/activations.py:checks"],
    "gelu": ["snippets/numpy_nn/activations.py:checks"],
    "swish": ["snippets/numpy_nn/activations.py:checks", "snippets/numpy_nn/activations.py:sigmoid"],
}
