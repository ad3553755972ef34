"""How each section of snippets/numpy_nn/perceptron.py is used when copied alone."""

USES = {
    "perceptron": """
weights, bias = np.array([0.5, 0.5]), -0.7
assert perceptron(np.array([1, 1]), weights, bias) == 1
assert perceptron(np.array([1, 0]), weights, bias) == 0
""",
    "learner": """
x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
model = Perceptron(learning_rate=0.1, max_epochs=50).fit(x, [0, 0, 0, 1])
assert model.predict(x).tolist() == [0, 0, 0, 1]
assert model.errors_per_epoch[-1] == 0
for bad in (lambda: Perceptron(learning_rate=float("nan")),
            lambda: model.predict([])):
    try:
        bad()
        raise RuntimeError("bad input accepted")
    except ValueError:
        pass
""",
}
