"""How each section of snippets/tf_zoo/models/transformer.py is used when copied alone."""

USES = {
    "position": """
layer = PositionEmbedding(sequence_length=4)
x = keras.ops.zeros((2, 3, 5))
y = keras.ops.convert_to_numpy(layer(x))
assert y.shape == (2, 3, 5) and abs(y[0] - y[1]).max() == 0  # per position
""",
    "model": """
import numpy as np

model = build_transformer(vocab_size=20, num_classes=2, sequence_length=7,
                          embed_dim=4, num_heads=2, ff_dim=8)
assert model.count_params() == 290
probabilities = keras.ops.convert_to_numpy(model(np.array([[1, 2, 3, 0]])))
assert probabilities.shape == (1, 2) and abs(probabilities.sum() - 1) < 1e-5
blind = build_transformer(vocab_size=20, sequence_length=7, embed_dim=4,
                          ff_dim=8, positions=False)
assert blind.count_params() == 290 - 7 * 4  # no position vectors
""",
}
NEEDS = {
    "model": ["snippets/tf_zoo/models/transformer.py:position"],
}
