"""How each section of snippets/tf_zoo/models/cnn.py is used when copied alone."""

USES = {
    "build_cnn": """
model = build_cnn(input_shape=(8, 8, 1), num_classes=3, filters=(4, 8))
assert model.count_params() == 435  # 40 + 296 + 2*2*8*3+3
assert model.output_shape == (None, 3)
probabilities = keras.ops.convert_to_numpy(model(keras.ops.ones((2, 8, 8, 1))))
assert probabilities.shape == (2, 3) and abs(probabilities.sum() - 2) < 1e-5
""",
}
