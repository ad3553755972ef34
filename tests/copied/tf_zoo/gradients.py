"""How each section of snippets/tf_zoo/gradients.py is used when copied alone."""

USES = {
    "deep_mlp": """
for config in ({}, {"batch_norm": True}, {"residual": True},
               {"activation": "relu", "initializer": 0.4}):
    model = deep_mlp(depth=3, units=4, num_features=5, num_classes=2,
                     **config)
    assert model.output_shape == (None, 2)
    names = [layer.name for layer in model.layers]
    assert [n for n in names if n.startswith("dense_")] == [
        "dense_0", "dense_1", "dense_2"]
""",
    "gradient_norms": """
inputs = keras.Input((5,))
h = keras.layers.Dense(4, activation="sigmoid", name="dense_0")(inputs)
h = keras.layers.Dense(4, activation="sigmoid", name="dense_1")(h)
model = keras.Model(inputs, keras.layers.Dense(3, "softmax")(h))
x = np.random.default_rng(0).standard_normal((8, 5)).astype("float32")
norms = layer_gradient_norms(model, x, np.arange(8) % 3)
assert norms.shape == (2,) and np.all(norms > 0)
""",
    "activations": """
import numpy as np

inputs = keras.Input((5,))
z = keras.layers.Dense(4, name="dense_0")(inputs)
h = keras.layers.Activation("relu", name="activation_0")(z)
model = keras.Model(inputs, keras.layers.Dense(3)(h))
x = np.random.default_rng(0).standard_normal((8, 5)).astype("float32")
(h_out,) = layer_outputs(model, x)
(z_out,) = layer_outputs(model, x, prefix="dense_")
assert h_out.shape == (8, 4) and np.allclose(h_out, np.maximum(z_out, 0))
""",
    "clipping": """
inputs = keras.Input((5,))
model = keras.Model(inputs, keras.layers.Dense(3, "softmax")(inputs))
x = np.random.default_rng(0).standard_normal((16, 5)).astype("float32")
losses = clipped_losses(model, x, np.arange(16) % 3, steps=5, lr=0.1,
                        clipnorm=1.0)
assert losses.shape == (5,) and losses[-1] < losses[0]
""",
}
NEEDS = {}
