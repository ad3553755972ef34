"""How each section of snippets/numpy_nn/optimizers.py is used when copied alone."""

_MINIMIZE = """
rng = np.random.default_rng(0)
w = rng.standard_normal(3)  # minimize |w - target|^2
target = np.array([1.0, -2.0, 0.5])
optimizer = {make}
for _ in range({steps}):
    optimizer.step({{"w": w}}, {{"w": 2 * (w - target)}})
assert np.allclose(w, target, atol={atol}), w
try:
    optimizer.step({{"w": w}}, {{"w": np.array([np.nan, 0.0, 0.0])}})
except ValueError as error:
    assert "finite" in str(error)
else:
    raise AssertionError("a NaN gradient was accepted")
"""

USES = {
    "checks": """
w, g = np.ones(3, np.float32), np.ones(3, np.float32)
check_step("SGD", {"w": w}, {"w": g})
try:
    check_step("SGD", {"w": w}, {"w": np.ones(2)})
except ValueError as error:
    assert "of shape (3,); received (2,)" in str(error)
else:
    raise AssertionError("a gradient of the wrong shape was accepted")
assert averages_dtype(w, g) == np.float32
assert averages_dtype(w.astype(np.float16), g) == np.float32
assert averages_dtype(w, g * np.float32(1e30)) == np.float64
""",
    "sgd": _MINIMIZE.format(make="SGD(learning_rate=0.1, momentum=0.5)", steps=200, atol=1e-6),
    "rmsprop": _MINIMIZE.format(make="RMSprop(learning_rate=0.01)", steps=1000, atol=0.05),
    "adam": _MINIMIZE.format(make="Adam(learning_rate=0.05)", steps=1000, atol=1e-3),
    "flush": """
class Decay:  # a running average that shrinks every step, as behind a dead unit
    def __init__(self):
        self.m = {}

    def step(self, params, grads):
        self.m["w"] = self.m.get("w", np.full(4, 1e-3, np.float32)) * np.float32(0.9)


optimizer = FlushSubnormals(Decay(), every=32)
for _ in range(900):
    optimizer.step({"w": np.zeros(4, np.float32)}, {"w": np.zeros(4, np.float32)})
assert not optimizer.optimizer.m["w"].any()  # flushed to 0, never subnormal
""",
}
NEEDS = {
    "sgd": ["snippets/numpy_nn/optimizers.py:checks"],
    "rmsprop": ["snippets/numpy_nn/optimizers.py:checks"],
    "adam": ["snippets/numpy_nn/optimizers.py:checks"],
}
