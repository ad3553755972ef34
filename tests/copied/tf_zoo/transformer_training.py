"""How each section of snippets/tf_zoo/transformer_training.py is used when copied alone."""

USES = {
    "train_transformer": """
rng = np.random.default_rng(0)
x = rng.integers(1, 10, size=(64, 6)).astype("int32")
x[:, 4:] = 0  # padding
y = (x[:, 0] > 5).astype("int32")
model = train_transformer(x, y, vocab_size=10, epochs=1)
embedded, mask = attention_inputs(model, x[:2])
assert embedded.shape == (2, 6, 16) and mask.shape == (2, 6, 6)
assert not mask[:, 4:].any() and mask[:, :4, :4].all()
""",
}
NEEDS = {
    "train_transformer": ["snippets/tf_zoo/models/transformer.py:position",
                          "snippets/tf_zoo/models/transformer.py:model"],
}
