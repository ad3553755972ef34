"""How each section of snippets/tf_zoo/memory_task.py is used when copied alone."""

USES = {
    "recall_data": """
x, y, lag = recall_data(100, max_lag=10, seed=0)
assert x.shape == (100, 11) and set(np.unique(y)) <= {0, 1, 2, 3}
where = 10 - lag
assert (x[np.arange(100), where] == y + 1).all()  # the token to recall
assert (x[:, -1] >= 5).all()  # the last step is a distractor
""",
    "train_recall": """
rng = np.random.default_rng(0)
token = rng.integers(1, 5, 256)
x = np.stack([token, rng.integers(5, 9, 256)], axis=1).astype("int32")
model = train_recall(keras.layers.GRU, x, token - 1, epochs=8, lr=1e-2)  # 1.0 from 6 (seeds 0-5)
accuracy = accuracy_by_lag(model, x, token - 1, np.ones(256), bins=[1, 2])
assert accuracy.shape == (1,) and accuracy[0] > 0.9, accuracy
""",
}
