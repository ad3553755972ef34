"""How each section of snippets/numpy_nn/attention.py is used when copied alone."""

USES = {
    "checks": """
q = np.ones((2, 3))
q2, k, v, mask = check_attention(q, q, q, mask=[[1, 0], [1, 1]])
assert mask.tolist() == [[True, False], [True, True]]
assert check_array("f", "x", q, 2) is not None
query = np.ones((1, 2, 4))
weights = [np.ones(s) for s in [(4, 2, 3), (2, 3), (4, 2, 3), (2, 3),
                                 (4, 2, 3), (2, 3), (2, 3, 4), (4,)]]
assert len(check_multi_head(weights, query, query, query)) == 8
weights[1] = np.ones(3)  # a bias for one head would broadcast to both
try:
    check_multi_head(weights, query, query, query)
except ValueError as error:
    assert "bq of shape (2, 3)" in str(error)
else:
    raise AssertionError("a bias of the wrong shape was accepted")
""",
    "attention": """
rng = np.random.default_rng(0)
q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
mask = np.ones((3, 5), dtype=bool)
mask[0] = False  # the first query sees no key
weights = masked_softmax(q @ k.T, mask)
assert weights[0].sum() == 0 and np.allclose(weights[1:].sum(-1), 1)
output, weights = scaled_dot_product_attention(q, k, v, mask)
assert output.shape == (3, 2) and not output[0].any()
dy = rng.standard_normal((3, 2))
dq, dk, dv = scaled_dot_product_attention_backward(dy, q, k, v, mask)
eps, e = 1e-6, np.zeros_like(q)
e[1, 2] = eps
numeric = ((scaled_dot_product_attention(q + e, k, v, mask)[0] * dy).sum()
           - (scaled_dot_product_attention(q - e, k, v, mask)[0] * dy).sum()) / (2 * eps)
assert abs(numeric - dq[1, 2]) < 1e-6
""",
    "multi_head": """
import keras

x = np.random.default_rng(0).standard_normal((2, 5, 4)).astype("float32")
layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
expected = keras.ops.convert_to_numpy(layer(x, x))
output = multi_head_attention(x, x, weights=layer.get_weights(), num_heads=2)
assert np.abs(output - expected).max() < 1e-5
""",
}
NEEDS = {
    "attention": ["snippets/numpy_nn/attention.py:checks"],
    "multi_head": ["snippets/numpy_nn/attention.py:checks", "snippets/numpy_nn/attention.py:attention"],
}
