"""How each section of snippets/numpy_nn/pooling.py is used when copied alone."""

USES = {
    "max_pool2d": """
x = np.array([[1.0, 5.0, 2.0], [3.0, 4.0, 6.0], [0.0, 7.0, 5.0]])
x = x.reshape(1, 3, 3, 1)
y = max_pool2d(x, 2, padding="same")  # the last row/column pads with -inf
assert y[0, :, :, 0].tolist() == [[5.0, 6.0], [7.0, 5.0]]
dx = max_pool2d_backward(np.ones_like(y), x, 2, padding="same")
# every window's gradient lands on its largest pixel
assert dx[0, :, :, 0].tolist() == [[0, 1, 0], [0, 0, 1], [0, 1, 1]]
assert max_pool2d(x, 2).shape == (1, 1, 1, 1)
""",
    "avg_pool2d": """
x = np.arange(16.0).reshape(1, 4, 4, 1)
y = avg_pool2d(x, 2)
assert y[0, :, :, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]
dx = avg_pool2d_backward(np.ones_like(y), x, 2)
assert np.all(dx == 0.25)  # each of the 4 pixels gets a quarter
# 'same' on a 3x3 image: border windows average their real pixels only
assert np.all(avg_pool2d(np.ones((1, 3, 3, 1)), 2, padding="same") == 1.0)
""",
}
NEEDS = {
    "max_pool2d": ["snippets/numpy_nn/conv.py:windows", "snippets/numpy_nn/conv.py:checks"],
    "avg_pool2d": ["snippets/numpy_nn/conv.py:windows", "snippets/numpy_nn/conv.py:checks"],
}
