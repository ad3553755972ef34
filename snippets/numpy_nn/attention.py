"""Scaled dot-product and multi-head attention in NumPy, with Keras' weight
layout and mask semantics."""

# --8<-- [start:checks]
import numpy as np


def check_array(fn, name, x, ndim_min):
    """``x`` as an array: floating point, finite, ``ndim >= ndim_min``."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{fn} expects {name} with a floating-point dtype; "
                         f"received dtype {x.dtype}")
    if x.ndim < ndim_min:
        raise ValueError(
            f"{fn} expects {name} with at least {ndim_min} dimensions "
            f"(..., seq, features); received shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{fn} expects finite values in {name}; "
                         "received NaN or inf")
    return x


def check_attention(q, k, v, mask=None):
    """Check q, k, v and the mask; return them, the mask as booleans
    broadcast to the scores' shape (..., seq_q, seq_k), or None."""
    q, k, v = (check_array("attention", n, a, 2)
               for n, a in (("q", q), ("k", k), ("v", v)))
    if not q.shape[:-2] == k.shape[:-2] == v.shape[:-2]:
        raise ValueError(
            "attention expects q, k, v with the same leading (batch) "
            f"dimensions; received shapes {q.shape}, {k.shape}, {v.shape}")
    if q.shape[-1] != k.shape[-1] or q.shape[-1] == 0:
        raise ValueError("attention expects q and k with the same last "
                         f"dimension d_k; received {q.shape} and {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError("attention expects k and v with the same sequence "
                         f"length; received {k.shape} and {v.shape}")
    if k.shape[-2] == 0:
        raise ValueError("attention expects at least one key; received k "
                         f"of shape {k.shape}")
    if mask is None:
        return q, k, v, None
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        if not np.issubdtype(mask.dtype, np.number):
            raise ValueError("attention expects a boolean or numeric mask; "
                             f"received dtype {mask.dtype}")
        mask = mask > 0.5  # as Keras: 1 = attend, 0 = do not
    scores_shape = q.shape[:-1] + k.shape[-2:-1]
    try:
        return q, k, v, np.broadcast_to(mask, scores_shape)
    except ValueError:
        raise ValueError(
            "attention expects a mask broadcastable to (..., seq_q, seq_k) = "
            f"{scores_shape}; received shape {mask.shape}") from None


def check_multi_head(weights, query, key, value):
    """The 8 arrays [Wq, bq, Wk, bk, Wv, bv, Wo, bo], each checked against
    the shape the inputs and the others imply (zero biases for 4 kernels)."""
    for name, x in (("query", query), ("key", key), ("value", value)):
        if x.ndim != 3:
            raise ValueError(f"multi_head_attention expects {name} of shape "
                             f"(batch, seq, features); received {x.shape}")
    if len(weights) == 4:
        w_q, w_k, w_v, w_o = (np.asarray(w) for w in weights)
        weights = [w_q, np.zeros(w_q.shape[1:], w_q.dtype),
                   w_k, np.zeros(w_k.shape[1:], w_k.dtype),
                   w_v, np.zeros(w_v.shape[1:], w_v.dtype),
                   w_o, np.zeros(w_o.shape[-1:], w_o.dtype)]
    if len(weights) != 8:
        raise ValueError("multi_head_attention expects 8 weight arrays (or "
                         f"4 kernels); received {len(weights)}")
    names = ["Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo"]
    weights = [check_array("multi_head_attention", n, w, 1)
               for n, w in zip(names, weights, strict=True)]
    w_q, w_v, w_o = weights[0], weights[4], weights[6]
    if w_q.ndim != 3 or w_v.ndim != 3 or w_o.ndim != 3:
        raise ValueError(
            "multi_head_attention expects kernels Wq, Wv, Wo with 3 "
            f"dimensions; received shapes {w_q.shape}, {w_v.shape}, "
            f"{w_o.shape}")
    heads, key_dim = w_q.shape[1:]
    value_dim, d_out = w_v.shape[2], w_o.shape[2]
    expected = [(query.shape[-1], heads, key_dim), (heads, key_dim),
                (key.shape[-1], heads, key_dim), (heads, key_dim),
                (value.shape[-1], heads, value_dim), (heads, value_dim),
                (heads, value_dim, d_out), (d_out,)]
    inputs = {"Wq": "query", "Wk": "key", "Wv": "value"}
    for name, w, shape in zip(names, weights, expected, strict=True):
        if w.shape != shape:
            given = f"; received shape {w.shape}"
            if name in inputs:
                x = inputs[name]
                raise ValueError(
                    f"multi_head_attention expects a {x} kernel of shape "
                    f"({shape[0]}, num_heads, dim) matching {x} of last "
                    f"dimension {shape[0]}, {shape[1:]} for the heads{given}")
            raise ValueError(f"multi_head_attention expects {name} of shape "
                             f"{shape} to match the other weights{given}")
    return weights
# --8<-- [end:checks]


# --8<-- [start:attention]
import math

import numpy as np


def masked_softmax(scores, mask=None):
    """Softmax over the last axis that ignores masked positions and returns
    zeros for fully masked rows.

    Args:
        scores: float array (..., seq_q, seq_k).
        mask: None or boolean array of the same shape; True = attend.

    Returns:
        Weights shaped like ``scores``; each row sums to 1, or to 0 when
        every key of the row is masked.
    """
    scores = check_array("masked_softmax", "scores", scores, 1)
    if mask is None:
        mask = np.ones(scores.shape, dtype=bool)
    row_max = np.max(np.where(mask, scores, -np.inf), axis=-1, keepdims=True,
                     initial=-np.inf)  # -inf (all masked) for 0-width rows
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # all masked
    # every exponent is <= 0, so nothing overflows; exp(-inf) is exactly 0
    e = np.exp(np.where(mask, scores - row_max, -np.inf))
    total = np.sum(e, axis=-1, keepdims=True)
    return e / np.where(total > 0, total, 1.0)


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v, where the mask (True/1 = attend) hides
    keys from queries.

    Args:
        q: queries (..., seq_q, d_k).
        k: keys (..., seq_k, d_k).
        v: values (..., seq_k, d_v).
        mask: None, or boolean/0-1 array broadcastable to (..., seq_q, seq_k).

    Returns:
        (output, weights): output (..., seq_q, d_v); weights (..., seq_q,
        seq_k), rows summing to 1 (to 0 for a query whose keys are all
        masked, whose output is then 0).
    """
    q, k, v, mask = check_attention(q, k, v, mask)
    scale = 1.0 / math.sqrt(q.shape[-1])  # a Python float keeps q's dtype
    scores = q @ np.swapaxes(k, -1, -2) * scale
    weights = masked_softmax(scores, mask)
    return weights @ v, weights


def scaled_dot_product_attention_backward(dy, q, k, v, mask=None):
    """Gradients of scaled dot-product attention w.r.t. q, k and v.

    Args:
        dy: gradient w.r.t. the output, (..., seq_q, d_v).
        q, k, v, mask: the forward's inputs.

    Returns:
        (dq, dk, dv) shaped like q, k, v.
    """
    output, weights = scaled_dot_product_attention(q, k, v, mask)
    q, k, v, dy = (np.asarray(a) for a in (q, k, v, dy))  # checked above
    if dy.shape != output.shape:
        raise ValueError("attention backward expects d_output of shape "
                         f"{output.shape}; received {dy.shape}")
    if not np.all(np.isfinite(dy)):
        raise ValueError("attention backward expects finite values in "
                         "d_output; received NaN or inf")
    scale = 1.0 / math.sqrt(q.shape[-1])
    dv = np.swapaxes(weights, -1, -2) @ dy  # output = weights @ v
    d_weights = dy @ np.swapaxes(v, -1, -2)
    # softmax, row by row: ds = w * (dw - <dw, w>); masked w = 0 gives ds = 0
    d_scores = weights * (d_weights - np.sum(d_weights * weights, axis=-1,
                                             keepdims=True))
    dq = d_scores @ k * scale  # scores = q k^T * scale
    dk = np.swapaxes(d_scores, -1, -2) @ q * scale
    return dq, dk, dv
# --8<-- [end:attention]


# --8<-- [start:multi_head]
import numpy as np


def multi_head_attention(query, value, key=None, *, weights, num_heads=None,
                         mask=None, return_attention_scores=False):
    """``keras.layers.MultiHeadAttention`` given its ``get_weights()``.

    Each head projects query, key and value with its own slice of the
    kernels and runs scaled dot-product attention; the output projection
    mixes the heads back.

    Args:
        query: (batch, seq_q, d_query).
        value: (batch, seq_k, d_value).
        key: (batch, seq_k, d_key); defaults to ``value``, as in Keras.
        weights: ``layer.get_weights()``: [Wq, bq, Wk, bk, Wv, bv, Wo, bo]
            with Wq (d_query, num_heads, key_dim), Wk (d_key, num_heads,
            key_dim), Wv (d_value, num_heads, value_dim), Wo (num_heads,
            value_dim, d_out), biases (num_heads, key_dim or value_dim) and
            (d_out,); or the four kernels alone (``use_bias=False``).
        num_heads: optional; checked against the kernels' shapes.
        mask: None or (batch, seq_q, seq_k) ``attention_mask``, True = attend.
        return_attention_scores: also return the weights of every head,
            (batch, num_heads, seq_q, seq_k).

    Returns:
        output (batch, seq_q, d_out), and the weights when asked for.
    """
    key = value if key is None else key
    fn = "multi_head_attention"
    query, key, value = (check_array(fn, name, x, 3) for name, x in
                         (("query", query), ("key", key), ("value", value)))
    w_q, b_q, w_k, b_k, w_v, b_v, w_o, b_o = check_multi_head(
        weights, query, key, value)
    if num_heads is not None and w_q.shape[1] != num_heads:
        raise ValueError(
            f"{fn} expects a query kernel of shape (d_query, {num_heads}, "
            f"key_dim); received shape {w_q.shape}")
    # (batch, seq, d) with (d, heads, dim) -> (batch, heads, seq, dim)
    q = np.einsum("bsd,dhk->bhsk", query, w_q) + b_q[:, None, :]
    k = np.einsum("bsd,dhk->bhsk", key, w_k) + b_k[:, None, :]
    v = np.einsum("bsd,dhk->bhsk", value, w_v) + b_v[:, None, :]
    if mask is not None:
        mask = np.expand_dims(np.asarray(mask), -3)  # the same for every head
    context, scores = scaled_dot_product_attention(q, k, v, mask)
    output = np.einsum("bhsk,hko->bso", context, w_o) + b_o
    return (output, scores) if return_attention_scores else output
# --8<-- [end:multi_head]
