import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.attention import (
    multi_head_attention,
    scaled_dot_product_attention,
    scaled_dot_product_attention_backward,
)
from tests.reference import assert_backward_matches, assert_gradients_match_tape, assert_matches_tf


def _qkv(rng, batch=(2,), seq_q=4, seq_k=5, d_k=3, d_v=2, dtype=np.float64):
    q = rng.standard_normal((*batch, seq_q, d_k)).astype(dtype)
    k = rng.standard_normal((*batch, seq_k, d_k)).astype(dtype)
    v = rng.standard_normal((*batch, seq_k, d_v)).astype(dtype)
    return q, k, v


def _keras_attention(q, k, v, mask=None):
    """Keras' fused dot-product attention, which wants (batch, seq, heads, dim): add a head axis of 1."""
    q, k, v = (keras.ops.expand_dims(x, 2) for x in (q, k, v))
    mask = None if mask is None else keras.ops.expand_dims(mask, 1)  # (batch, heads, seq_q, seq_k)
    return keras.ops.squeeze(keras.ops.dot_product_attention(q, k, v, mask=mask), 2)


@pytest.mark.parametrize("masked", [False, True])
def test_matches_keras_dot_product_attention(masked):
    rng = np.random.default_rng(0)
    q, k, v = _qkv(rng, dtype=np.float32)
    mask = None
    if masked:
        mask = rng.random((2, 4, 5)) > 0.4
        mask[..., 0] = True  # every query keeps at least one key (see the fully-masked test below)
    assert_matches_tf(
        lambda *a: scaled_dot_product_attention(*a, mask=mask)[0],
        lambda *a: _keras_attention(*a, mask=mask),
        q,
        k,
        v,
    )


def test_weights_are_a_distribution_over_unmasked_keys():
    rng = np.random.default_rng(1)
    q, k, v = _qkv(rng, batch=(2, 3))
    mask = rng.random((2, 3, 4, 5)) > 0.5
    mask[..., 1] = True
    _, w = scaled_dot_product_attention(q, k, v, mask)
    np.testing.assert_allclose(w.sum(-1), 1.0)
    assert np.all(w[~mask] == 0.0)
    assert np.all(w[mask] > 0.0)


def test_fully_masked_query_gives_zero_weights_and_output_without_nan():
    rng = np.random.default_rng(2)
    q, k, v = _qkv(rng)
    mask = np.ones((2, 4, 5), dtype=bool)
    mask[1, 2] = False
    out, w = scaled_dot_product_attention(q, k, v, mask)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(w))
    assert np.all(w[1, 2] == 0.0) and np.all(out[1, 2] == 0.0)
    np.testing.assert_allclose(w[0].sum(-1), 1.0)
    # the same convention as Keras' masked softmax inside MultiHeadAttention
    softmax = keras.layers.Softmax()
    np.testing.assert_allclose(w, softmax(q @ np.swapaxes(k, -1, -2) / np.sqrt(3), mask=mask), atol=1e-6)


def test_numeric_mask_means_attend_where_one():
    rng = np.random.default_rng(3)
    q, k, v = _qkv(rng)
    mask = (rng.random((4, 5)) > 0.5).astype(np.float32)
    mask[:, 0] = 1.0
    a = scaled_dot_product_attention(q, k, v, mask)
    b = scaled_dot_product_attention(q, k, v, mask.astype(bool))
    np.testing.assert_array_equal(a[1], b[1])


def test_extreme_scores_stay_finite_and_pick_the_best_key():
    q = np.full((1, 2, 4), 1e4, dtype=np.float32)
    k = np.zeros((1, 3, 4), dtype=np.float32)
    k[0, 1] = 1e4  # scores of 1e8 / 2 against 0: softmax must be one-hot, not NaN
    k[0, 2] = -1e4
    v = np.arange(6, dtype=np.float32).reshape(1, 3, 2)
    out, w = scaled_dot_product_attention(q, k, v)
    np.testing.assert_array_equal(w[0, :, 1], 1.0)
    np.testing.assert_array_equal(out[0], [[2.0, 3.0], [2.0, 3.0]])
    assert out.dtype == np.float32 and w.dtype == np.float32


@pytest.mark.parametrize("wrt", [0, 1, 2])
@pytest.mark.parametrize("masked", [False, True])
def test_backward_matches_central_differences(wrt, masked):
    rng = np.random.default_rng(4)
    inputs = list(_qkv(rng))
    mask = None
    if masked:
        mask = rng.random((2, 4, 5)) > 0.5
        mask[0, 0] = False  # a fully masked query must get zero gradient, not NaN

    def forward(x):
        args = inputs.copy()
        args[wrt] = x
        return scaled_dot_product_attention(*args, mask=mask)[0]

    def backward(dy, x):
        args = inputs.copy()
        args[wrt] = x
        return scaled_dot_product_attention_backward(dy, *args, mask=mask)[wrt]

    assert_backward_matches(forward, backward, inputs[wrt].copy())


def test_backward_matches_gradient_tape():
    rng = np.random.default_rng(5)
    q, k, v = _qkv(rng)
    assert_gradients_match_tape(
        lambda q, k, v: keras.ops.einsum(
            "bqk,bkd->bqd", keras.ops.softmax(keras.ops.einsum("bqd,bkd->bqk", q, k) / np.sqrt(3)), v
        ),
        lambda dy, q, k, v: scaled_dot_product_attention_backward(dy, q, k, v),
        q,
        k,
        v,
    )


@pytest.mark.parametrize(
    "config",
    [
        dict(num_heads=2, key_dim=3),
        dict(num_heads=3, key_dim=2, value_dim=4, output_shape=6),
        dict(num_heads=1, key_dim=4, use_bias=False),
    ],
)
@pytest.mark.parametrize("masked", [False, True])
def test_multi_head_matches_keras_layer(config, masked):
    rng = np.random.default_rng(6)
    query = rng.standard_normal((2, 4, 5)).astype(np.float32)
    value = rng.standard_normal((2, 6, 7)).astype(np.float32)
    key = rng.standard_normal((2, 6, 3)).astype(np.float32)
    mask = rng.random((2, 4, 6)) > 0.4 if masked else None
    layer = keras.layers.MultiHeadAttention(**config)
    expected, scores = layer(query, value, key, attention_mask=mask, return_attention_scores=True)
    got, weights = multi_head_attention(
        query,
        value,
        key,
        weights=layer.get_weights(),
        mask=mask,
        num_heads=config["num_heads"],
        return_attention_scores=True,
    )
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(weights, scores, rtol=1e-5, atol=1e-6)


def test_multi_head_self_attention_defaults_key_to_value():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 5, 4)).astype(np.float32)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    expected = layer(x, x)  # builds the layer
    np.testing.assert_allclose(
        multi_head_attention(x, x, weights=layer.get_weights()), expected, rtol=1e-5, atol=1e-5
    )


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones((2, 3), dtype=int), np.ones((2, 3)), np.ones((2, 3))), "floating-point dtype"),
        ((np.ones(3), np.ones((2, 3)), np.ones((2, 3))), r"at least 2 dimensions .* received shape \(3,\)"),
        ((np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 3))), r"d_k; received \(2, 3\) and \(2, 4"),
        ((np.ones((2, 3)), np.ones((2, 3)), np.ones((4, 3))), "same sequence length"),
        ((np.ones((1, 2, 3)), np.ones((2, 2, 3)), np.ones((2, 2, 3))), "same leading"),
    ],
)
def test_rejects_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        scaled_dot_product_attention(*args)


def test_rejects_bad_masks_and_gradients():
    q = k = v = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"mask broadcastable to .*\(2, 2\); received shape \(3,\)"):
        scaled_dot_product_attention(q, k, v, mask=np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="boolean or numeric mask"):
        scaled_dot_product_attention(q, k, v, mask=np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match=r"d_output of shape \(2, 3\); received \(3, 2\)"):
        scaled_dot_product_attention_backward(np.ones((3, 2)), q, k, v)


def test_multi_head_rejects_mismatched_weights():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = np.ones((1, 4, 5), dtype=np.float32)
    layer(x, x)
    with pytest.raises(ValueError, match="8 weight arrays .*received 3"):
        multi_head_attention(x, x, weights=layer.get_weights()[:3])
    with pytest.raises(ValueError, match=r"\(d_query, 4, key_dim\); received shape \(5, 2, 3\)"):
        multi_head_attention(x, x, weights=layer.get_weights(), num_heads=4)
    with pytest.raises(ValueError, match=r"value kernel of shape \(6, num_heads, dim\)"):
        multi_head_attention(x, np.ones((1, 4, 6), dtype=np.float32), x, weights=layer.get_weights())


def _built_layer(**config):
    layer = keras.layers.MultiHeadAttention(**config)
    x = np.ones((1, 4, 5), dtype=np.float32)
    layer(x, x)
    return layer, x


@pytest.mark.parametrize(
    "index, bad_shape, match",
    [
        (1, (3,), r"bq of shape \(2, 3\)"),  # (key_dim,) would broadcast over the heads
        (3, (1, 3), r"bk of shape \(2, 3\)"),
        (5, (2, 1), r"bv of shape \(2, 3\)"),
        (6, (2, 3, 1), r"bo of shape \(1,\)|Wo"),  # an output kernel of another width than bo
        (7, (1,), r"bo of shape \(5,\)"),  # one bias for every output feature would broadcast
        (2, (5, 2, 4), r"key kernel of shape \(5, num_heads, dim\).*\(2, 3\)"),
    ],
)
def test_multi_head_rejects_weights_of_the_wrong_shape(index, bad_shape, match):
    """Every weight is checked against the shape the others imply: nothing is silently broadcast."""
    layer, x = _built_layer(num_heads=2, key_dim=3)
    weights = layer.get_weights()
    weights[index] = np.zeros(bad_shape, dtype=np.float32)
    with pytest.raises(ValueError, match=match):
        multi_head_attention(x, x, weights=weights)


def test_multi_head_rejects_nan_in_inputs_and_weights():
    layer, x = _built_layer(num_heads=2, key_dim=3)
    bad = x.copy()
    bad[0, 1, 2] = np.nan
    with pytest.raises(ValueError, match="multi_head_attention expects finite values in query"):
        multi_head_attention(bad, x, weights=layer.get_weights())
    weights = layer.get_weights()
    weights[6][0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="multi_head_attention expects finite values in Wo"):
        multi_head_attention(x, x, weights=weights)


@pytest.mark.parametrize("where", ["q", "k", "v"])
def test_rejects_nan_and_inf(where):
    rng = np.random.default_rng(8)
    inputs = dict(zip("qkv", _qkv(rng), strict=True))
    for value in (np.nan, np.inf):
        bad = {n: a.copy() for n, a in inputs.items()}
        bad[where][0, 0, 0] = value
        with pytest.raises(ValueError, match=f"attention expects finite values in {where}"):
            scaled_dot_product_attention(*bad.values())


def test_backward_rejects_nan_gradient():
    rng = np.random.default_rng(9)
    q, k, v = _qkv(rng)
    dy = np.ones((2, 4, 2))
    dy[1, 1, 1] = np.nan
    with pytest.raises(ValueError, match="expects finite values in d_output"):
        scaled_dot_product_attention_backward(dy, q, k, v)
    with pytest.raises(ValueError, match=r"d_output of shape \(2, 4, 2\); received \(2, 4, 1\)"):
        scaled_dot_product_attention_backward(dy[..., :1], q, k, v)  # would broadcast: refused


def test_rejects_attention_with_no_keys():
    q = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"at least one key; received k of shape \(0, 3\)"):
        scaled_dot_product_attention(q, np.ones((0, 3)), np.ones((0, 4)))
    with pytest.raises(ValueError, match="same last dimension d_k"):
        scaled_dot_product_attention(np.ones((2, 0)), np.ones((3, 0)), np.ones((3, 4)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1), st.floats(1e-3, 1e6))
def test_output_is_a_weighted_average_of_the_values(seq_q, seq_k, seed, scale):
    """For any finite scale the weights are a distribution and each output lies within the values' range."""
    rng = np.random.default_rng(seed)
    q = scale * rng.standard_normal((seq_q, 3))
    k = scale * rng.standard_normal((seq_k, 3))
    v = rng.standard_normal((seq_k, 2))
    out, w = scaled_dot_product_attention(q, k, v)
    assert np.all(np.isfinite(out)) and np.all(w >= 0)
    np.testing.assert_allclose(w.sum(-1), 1.0)
    assert np.all(out <= v.max(0) + 1e-9) and np.all(out >= v.min(0) - 1e-9)
