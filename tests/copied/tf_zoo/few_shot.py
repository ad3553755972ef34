"""How each section of snippets/tf_zoo/few_shot.py is used when copied alone."""

USES = {
    "pretrain": """
import numpy as np

rng = np.random.default_rng(0)
x = rng.random((32, 8, 8, 1)).astype("float32")
y = rng.integers(0, 3, 32)
encoder = pretrain_features(x, y, epochs=1)
assert encoder.predict(x[:2], verbose=0).shape == (2, 2 * 2 * 32)
""",
    "prototypes": """
rng = np.random.default_rng(0)
centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
y = np.repeat([0, 1, 2], 20)
features = centres[y] + rng.standard_normal((60, 2))
assert prototype_accuracy(features[::2], y[::2], features[1::2], y[1::2]) == 1.0
accuracy = few_shot_accuracy(features, y, features, y, shots=1, episodes=5,
                             metric="cosine")
assert 0.5 < accuracy <= 1.0
""",
    "experiment": """
rng = np.random.default_rng(0)
centres = rng.standard_normal((3, 4)) * 10
y = np.repeat([0, 1, 2], 30)
x = centres[y] + rng.standard_normal((90, 4))
metric, curve = few_shot_experiment(lambda images: images, (x, y), (x, y),
                                    (x, y), shots=(1, 5), episodes=3)
assert metric in ("euclidean", "cosine") and set(curve) == {1, 5}
assert curve[5] > 0.9, curve
""",
}
NEEDS = {
    "pretrain": ["snippets/tf_zoo/models/cnn.py:build_cnn"],
    "experiment": ["snippets/tf_zoo/few_shot.py:prototypes"],
}
