"""How each section of snippets/numpy_nn/network.py is used when copied alone."""

USES = {
    "activation_layer": """
layer = Activation(np.tanh, lambda dy, x: dy * (1 - np.tanh(x) ** 2))
x = np.array([[-1.0, 0.0, 2.0]])
assert np.allclose(layer.forward(x), np.tanh(x))
assert np.allclose(layer.backward(np.ones_like(x)), 1 - np.tanh(x) ** 2)
assert layer.params == {} and layer.grads == {}
""",
    "sequential": """
class Line:  # a tiny layer: y = w x + c
    def __init__(self):
        self.params = {"w": np.zeros(1), "c": np.zeros(1)}
        self.grads = {"w": np.zeros(1), "c": np.zeros(1)}

    def forward(self, x):
        self.x = x
        return x * self.params["w"] + self.params["c"]

    def backward(self, dy):
        self.grads = {"w": (dy * self.x).sum(axis=0), "c": dy.sum(axis=0)}
        return dy * self.params["w"]


class GradientDescent:
    def step(self, params, grads):
        for key in params:
            params[key] -= 0.1 * grads[key]


def mse(y, y_hat):
    return np.mean((y_hat - y) ** 2)


def mse_backward(y, y_hat):
    return 2 * (y_hat - y) / y.size


rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, (64, 1))
y = 3 * x - 1
model = Sequential([Line()], mse, mse_backward)
history = model.fit(x, y, GradientDescent(), epochs=100, batch_size=16, rng=rng,
                    validation_data=(x, y), patience=5)
assert history["loss"][-1] < 1e-4
assert abs(model.params["0.w"][0] - 3) < 0.01
loss, accuracy = model.evaluate(x, y)
assert loss < 1e-4 and np.isnan(accuracy)
assert model.predict(x).shape == (64, 1)
try:
    model.fit(x, y, GradientDescent(), epochs=1, batch_size=0, rng=rng)
except ValueError as error:
    assert "batch_size" in str(error)
else:
    raise AssertionError("batch_size=0 was accepted")
""",
    "mlp": """
rng = np.random.default_rng(0)
layers = mlp([4, 8, 3], rng)
assert [type(layer).__name__ for layer in layers] == ["Dense", "Activation", "Dense"]
x = rng.standard_normal((5, 4)).astype(np.float32)
for layer in layers:
    x = layer.forward(x)
assert x.shape == (5, 3)
dy = np.ones_like(x)
for layer in reversed(layers):
    dy = layer.backward(dy)
assert dy.shape == (5, 4)
""",
}
NEEDS = {
    "mlp": ["snippets/numpy_nn/dense.py:dense", "snippets/numpy_nn/network.py:activation_layer"],
}
