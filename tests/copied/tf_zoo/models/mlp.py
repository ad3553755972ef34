"""How each section of snippets/tf_zoo/models/mlp.py is used when copied alone."""

USES = {
    "build_mlp": """
import numpy as np

model = build_mlp()  # the article's network
assert model.count_params() == 100_480 + 8_256 + 650
assert [type(layer).__name__ for layer in model.layers] == [
    "InputLayer", "Dense", "Dropout", "Dense", "Dense"]
small = build_mlp(input_shape=(8, 8, 1), num_classes=3, hidden_units=(16,),
                  l2=1e-4)
p = keras.ops.convert_to_numpy(small(np.ones((2, 8, 8, 1), "float32")))
assert p.shape == (2, 3) and np.allclose(p.sum(axis=1), 1.0)
assert build_mlp(input_shape=(40,), hidden_units=()).count_params() == 410
try:
    build_mlp(dropout=1.5)
    raise AssertionError("accepted dropout=1.5")
except ValueError as error:
    assert "received dropout=1.5" in str(error)
""",
}
NEEDS = {}
