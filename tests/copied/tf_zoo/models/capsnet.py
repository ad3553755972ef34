"""How each section of snippets/tf_zoo/models/capsnet.py is used when copied alone."""

USES = {
    "layers": """
import numpy as np

u = np.random.default_rng(0).standard_normal((2, 6, 4)).astype("float32")
v = keras.ops.convert_to_numpy(Squash()(u))
assert v.shape == (2, 6, 4) and np.all(np.linalg.norm(v, axis=-1) < 1)
assert np.allclose(keras.ops.convert_to_numpy(squash(u)), v)
capsules = CapsuleLayer(num_capsules=3, dim_capsule=5, routings=3)(u)
assert tuple(capsules.shape) == (2, 3, 5)
p = keras.ops.convert_to_numpy(CapsuleProbabilities()(capsules))
assert p.shape == (2, 3) and np.allclose(p.sum(axis=-1), 1.0)
""",
    "model": """
model = build_capsnet(input_shape=(8, 8, 1), num_classes=3, filters=4,
                      primary_capsules=2, primary_dim=2, capsule_dim=4)
assert model.count_params() == 380
p = keras.ops.convert_to_numpy(model(keras.ops.ones((2, 8, 8, 1))))
assert p.shape == (2, 3) and abs(p.sum() - 2) < 1e-5
""",
}
NEEDS = {
    "model": ["snippets/tf_zoo/models/capsnet.py:layers"],
}
