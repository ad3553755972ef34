"""How each section of snippets/numpy_nn/gradient_flow.py is used when copied alone."""

USES = {
    "keras_weights": """
import keras

weights = keras_weights(keras.layers.LSTM, features=3, units=2)
assert [w.shape for w in weights] == [(3, 8), (2, 8), (8,)]
assert weights[2].tolist() == [0, 0, 1, 1, 0, 0, 0, 0]  # forget bias 1
""",
    "gradient_norms": """
def forward(x, W, U, b, return_cache=False):  # no memory at all: h_t = x_t W
    y = x @ W
    return y, y[:, -1], x


def backward(dsequence, cache):
    return (dsequence @ W.T,)


rng = np.random.default_rng(0)
W, U, b = rng.standard_normal((3, 2)), np.zeros((2, 2)), np.zeros(2)
norms = gradient_norms(forward, backward, [W, U, b], steps=5)
assert norms.shape == (5,) and norms[-1] > 0 and not norms[:-1].any()
""",
}
