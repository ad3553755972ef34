"""How each section of snippets/numpy_nn/two_layer.py is used when copied alone."""

USES = {
    "two_layer": """
rng = np.random.default_rng(0)
params = init_two_layer(2, 4, rng)
x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([[0.0], [1.0], [1.0], [0.0]])
loss, cache = two_layer_forward(params, x, y)
assert loss > 0 and cache["y_hat"].shape == (4, 1)
grads = two_layer_backward(params, cache)
assert all(grads[k].shape == params[k].shape for k in params)
eps = 1e-6  # one entry of dW1 against a central difference
plus = {**params, "W1": params["W1"].copy()}
minus = {**params, "W1": params["W1"].copy()}
plus["W1"][0, 1] += eps
minus["W1"][0, 1] -= eps
numeric = (two_layer_forward(plus, x, y)[0]
           - two_layer_forward(minus, x, y)[0]) / (2 * eps)
assert abs(numeric - grads["W1"][0, 1]) < 1e-8
""",
}
NEEDS = {
    "two_layer": ["snippets/numpy_nn/activations.py:sigmoid"],
}
