"""How each section of snippets/numpy_nn/conv.py is used when copied alone."""

USES = {
    "windows": """
assert conv_padding(28, 3, 1, "same") == (28, 1, 1)
assert conv_padding(28, 4, 3, "same") == (10, 1, 2)
assert conv_padding(28, 5, 1, "valid") == (24, 0, 0)
x = np.arange(16.0).reshape(1, 4, 4, 1)
view = windows(x, (2, 2), (2, 2), "valid")
assert view.shape == (1, 2, 2, 1, 2, 2)
assert view[0, 1, 0, 0].tolist() == [[8.0, 9.0], [12.0, 13.0]]
padded = windows(x, (3, 3), (1, 1), "same", fill=-1.0)
assert padded.shape == (1, 4, 4, 1, 3, 3) and padded[0, 0, 0, 0, 0, 0] == -1.0
# add_windows is the backward of windows: a 3x3 'same' window covers
# the centre pixel 9 times, a corner pixel 4 times
counts = add_windows(np.ones(padded.shape), x.shape, (1, 1), "same")
assert counts[0, :, :, 0].tolist()[1][1] == 9.0 and counts[0, 0, 0, 0] == 4.0
""",
    "checks": """
x = check_images(np.zeros((2, 5, 5, 3)), "f")
assert check_kernel(np.zeros((3, 3, 3, 4)), 3, "f").shape == (3, 3, 3, 4)
assert check_pair(2, "strides", "f") == (2, 2)
assert check_window(x, (3, 3), "kernel", 1, "SAME", "f") == (
    (3, 3), (1, 1), "same")
assert check_dy(np.ones((2, 3, 3, 4)), (2, 3, 3, 4), "f").shape == (2, 3, 3, 4)
assert check_float(np.ones(3), "a", "f").shape == (3,)
for bad_call in (lambda: check_images(np.zeros((5, 5)), "f"),
                 lambda: check_pair(1.0, "strides", "f"),
                 lambda: check_dy(np.ones(3), (2, 3), "f"),
                 lambda: check_images(np.full((1, 2, 2, 1), np.nan), "f")):
    try:
        bad_call()
    except ValueError as error:
        assert "f expects" in str(error) and "received" in str(error)
    else:
        raise AssertionError("bad input was accepted")
""",
    "conv2d": """
rng = np.random.default_rng(0)
x = rng.standard_normal((2, 7, 7, 3))
kernel = rng.standard_normal((3, 3, 3, 4))
y = conv2d(x, kernel, strides=2, padding="same")
assert y.shape == (2, 4, 4, 4)
# output pixel (1, 2) of image 0 is one window times the kernel, summed
window = x[0, 1:4, 3:6]  # 'same' pads 1 before, so window (1, 2) starts at 1, 3
assert np.isclose(y[0, 1, 2, 0], np.sum(window * kernel[..., 0]))
assert conv2d(x, kernel).shape == (2, 5, 5, 4)
""",
    "conv2d_backward": """
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 5, 6, 2))
kernel = rng.standard_normal((3, 2, 2, 3))
dy = rng.standard_normal((1, 3, 3, 3))  # the output shape, stride 2, 'same'
dx, dkernel = conv2d_backward(dy, x, kernel, strides=2, padding="same")
assert dx.shape == x.shape and dkernel.shape == kernel.shape
# the kernel gradient of a 1x1 convolution with stride 1 is x^T dy
x1, k1 = rng.standard_normal((2, 3, 3, 2)), rng.standard_normal((1, 1, 2, 4))
dy1 = rng.standard_normal((2, 3, 3, 4))
_, dk1 = conv2d_backward(dy1, x1, k1)
assert np.allclose(dk1[0, 0], x1.reshape(-1, 2).T @ dy1.reshape(-1, 4))
""",
}
NEEDS = {
    "conv2d": ["snippets/numpy_nn/conv.py:windows", "snippets/numpy_nn/conv.py:checks"],
    "conv2d_backward": ["snippets/numpy_nn/conv.py:windows", "snippets/numpy_nn/conv.py:checks"],
}
