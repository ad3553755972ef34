"""How each section of snippets/tf_zoo/karate.py is used when copied alone."""

USES = {
    "karate": """
a, x, y = karate_club()
assert a.shape == x.shape == (34, 34) and (a == a.T).all() and a.sum() == 2 * 78
assert y[0] == 0 and y[33] == 1 and y.sum() == 17
""",
    "train_gcn": """
rng = np.random.default_rng(0)
a = np.zeros((6, 6), dtype="float32")
a[:3, :3] = a[3:, 3:] = 1  # two cliques
np.fill_diagonal(a, 0)
x = np.eye(6, dtype="float32")
y = np.array([0, 0, 0, 1, 1, 1], dtype="int32")
model = train_gcn(a, x, y, labelled=[0, 5], epochs=25)  # all right from 15, seeds 0-4
predicted = keras.ops.convert_to_numpy(model((x[None], a[None])))[0].argmax(-1)
assert (predicted == y).all(), predicted
""",
}
NEEDS = {
    "train_gcn": ["snippets/tf_zoo/models/gcn.py:layer", "snippets/tf_zoo/models/gcn.py:model"],
}
