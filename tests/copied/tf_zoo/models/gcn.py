"""How each section of snippets/tf_zoo/models/gcn.py is used when copied alone."""

USES = {
    "layer": """
import numpy as np

a = np.array([[[0, 1], [1, 0]]], dtype="float32")
x = np.array([[[1.0], [3.0]]], dtype="float32")
layer = GraphConv(1, use_bias=False)
y = keras.ops.convert_to_numpy(layer([x, a]))
w = layer.get_weights()[0][0, 0]
assert np.allclose(y, 2.0 * w)  # both nodes average 1 and 3 (degrees 2)
""",
    "model": """
import numpy as np

model = build_gcn()
assert model.count_params() == 594
a = np.zeros((1, 34, 34), dtype="float32")
x = np.eye(34, dtype="float32")[None]
probabilities = keras.ops.convert_to_numpy(model((x, a)))
assert probabilities.shape == (1, 34, 2)
""",
}
NEEDS = {
    "model": ["snippets/tf_zoo/models/gcn.py:layer"],
}
