"""How each section of snippets/tf_zoo/tuning.py is used when copied alone."""

USES = {
    "grid_search": """
from sklearn.datasets import load_digits


def build(input_shape, num_classes, units=16):
    return keras.Sequential([keras.Input(input_shape),
                             keras.layers.Dense(units, activation="relu"),
                             keras.layers.Dense(num_classes, activation="softmax")])


x, y = load_digits(return_X_y=True)
x = (x / 16.0).astype("float32")
results = grid_search(build, {"lr": [1e-2], "units": [16, 32]},
                      x[:300], y[:300], x[300:400], y[300:400], epochs=2)
assert [r["units"] for r in results] == [16, 32]
assert all(0.3 < r["val_accuracy"] <= 1.0 for r in results), results
assert all(r["best_epoch"] in (1, 2) for r in results)
""",
}
NEEDS = {}
