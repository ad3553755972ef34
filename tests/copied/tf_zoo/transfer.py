"""How each section of snippets/tf_zoo/transfer.py is used when copied alone."""

USES = {
    "transfer": """
import numpy as np

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(6,))
hidden = keras.layers.Dense(8, activation="relu")(inputs)
base = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
model, features = new_head(base, num_classes=2)
assert model.output_shape == (None, 2) and not features.trainable
x = np.random.default_rng(0).normal(size=(64, 6)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
histories = fine_tune(model, features, x, y, (x, y), epochs=(2, 2))
assert set(histories) == {"frozen", "unfrozen"} and features.trainable
assert histories["unfrozen"]["loss"][-1] < histories["frozen"]["loss"][0]
""",
}
NEEDS = {}
