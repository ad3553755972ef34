"""How each section of snippets/tf_zoo/regularization.py is used when copied alone."""

USES = {
    "variants": """
rng = np.random.default_rng(0)
x = rng.random((40, 64)).astype("float32")
y = np.arange(40) % 4
aug = augmenter(seed=0)
assert tuple(aug(x[:2], training=True).shape) == (2, 64)
for name in REMEDIES:
    model, callbacks = overfit_variant(name, 64, 4, width=8)
    assert model.output_shape == (None, 4)
    assert len(callbacks) == (name == "early stopping")
model, h = train_variant("dropout", x, y, x[:8], y[:8], epochs=2, width=8)
assert len(h["val_accuracy"]) == 2
assert np.isclose(gap(h), h["accuracy"][np.argmax(h["val_accuracy"])]
                  - max(h["val_accuracy"]))
assert gap({"accuracy": [0.5, 1.0], "val_accuracy": [0.4, 0.9]}) > 0
try:
    overfit_variant("l3")
    raise RuntimeError("an unknown remedy was accepted")
except ValueError as error:
    assert "l3" in str(error)
""",
}
NEEDS = {}
