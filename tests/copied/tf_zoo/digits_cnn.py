"""How each section of snippets/tf_zoo/digits_cnn.py is used when copied alone."""

USES = {
    "train_digits_cnn": """
model, x_test, y_test = train_digits_cnn(epochs=2)
assert x_test.shape == (360, 8, 8, 1) and y_test.shape == (360,)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
assert accuracy > 0.5, accuracy  # ten classes: chance is 0.1
assert train_digits_cnn(epochs=2)[0] is model  # cached: one training run
""",
}
NEEDS = {
    "train_digits_cnn": ["snippets/tf_zoo/models/cnn.py:build_cnn", "snippets/tf_zoo/datasets.py:digits"],
}
