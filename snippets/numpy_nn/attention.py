"""Scaled dot-product and multi-head attention in NumPy, with Keras' weight layout and mask semantics."""

# --8<-- [start:check]
import numpy as np


def _check_float(name, x, ndim_min):
    """Return ``x`` as an array, or raise ValueError unless it is floating point with ``ndim >= ndim_min``."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"attention expects {name} with a floating-point dtype; received dtype {x.dtype}")
    if x.ndim < ndim_min:
        raise ValueError(
            f"attention expects {name} with at least {ndim_min} dimensions (..., seq, features); "
            f"received shape {x.shape}"
        )
    return x


def _check_qkv(q, k, v):
    q, k, v = _check_float("q", q, 2), _check_float("k", k, 2), _check_float("v", v, 2)
    if not q.shape[:-2] == k.shape[:-2] == v.shape[:-2]:
        raise ValueError(
            "attention expects q, k, v with the same leading (batch) dimensions; "
            f"received shapes {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"attention expects q and k with the same last dimension d_k; received {q.shape} and {k.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"attention expects k and v with the same sequence length; received {k.shape} and {v.shape}"
        )
    return q, k, v


def _check_mask(mask, scores_shape):
    """Boolean mask broadcast to the scores' shape (True = attend), like Keras (non-bool: > 0.5)."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        if not (np.issubdtype(mask.dtype, np.number)):
            raise ValueError(f"attention expects a boolean or numeric mask; received dtype {mask.dtype}")
        mask = mask > 0.5
    try:
        return np.broadcast_to(mask, scores_shape)
    except ValueError:
        raise ValueError(
            f"attention expects a mask broadcastable to (..., seq_q, seq_k) = {scores_shape}; "
            f"received shape {mask.shape}"
        ) from None


# --8<-- [end:check]


# --8<-- [start:masked_softmax]
import numpy as np


def masked_softmax(scores, mask=None):
    """Softmax over the last axis that ignores masked positions and returns zeros for fully masked rows.

    Args:
        scores: float array (..., seq_q, seq_k).
        mask: None or boolean array of the same shape; True = attend.

    Returns:
        Weights shaped like ``scores``; each row sums to 1, or to 0 when every key is masked.
    """
    if mask is None:
        shifted = scores - np.max(scores, axis=-1, keepdims=True)  # largest exponent is exp(0) = 1
        e = np.exp(shifted)
        return e / np.sum(e, axis=-1, keepdims=True)
    row_max = np.max(np.where(mask, scores, -np.inf), axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # fully masked row: any finite shift will do
    e = np.exp(np.where(mask, scores - row_max, -np.inf))  # exp(-inf) = 0 exactly, no warning
    total = np.sum(e, axis=-1, keepdims=True)
    return e / np.where(total > 0, total, 1.0)


# --8<-- [end:masked_softmax]


# --8<-- [start:attention]
import math

import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v, where mask (True/1 = attend) hides keys from queries.

    Args:
        q: queries (..., seq_q, d_k).
        k: keys (..., seq_k, d_k).
        v: values (..., seq_k, d_v).
        mask: None, or boolean/0-1 array broadcastable to (..., seq_q, seq_k).

    Returns:
        (output, weights): output (..., seq_q, d_v); weights (..., seq_q, seq_k), rows summing to 1
        (to 0 for a query whose keys are all masked, whose output is then 0).
    """
    q, k, v = _check_qkv(q, k, v)
    scores = q @ np.swapaxes(k, -1, -2) * (1.0 / math.sqrt(q.shape[-1]))  # Python float keeps q's dtype
    weights = masked_softmax(scores, _check_mask(mask, scores.shape))
    return weights @ v, weights


# --8<-- [end:attention]


# --8<-- [start:attention_backward]
import math

import numpy as np


def scaled_dot_product_attention_backward(d_output, q, k, v, mask=None):
    """Gradients of scaled dot-product attention with respect to q, k and v.

    Args:
        d_output: upstream gradient dL/d(output), (..., seq_q, d_v).
        q, k, v, mask: the forward's inputs.

    Returns:
        (dq, dk, dv) shaped like q, k, v.
    """
    output, weights = scaled_dot_product_attention(q, k, v, mask)
    d_output = np.asarray(d_output)
    if d_output.shape != output.shape:
        raise ValueError(
            f"attention backward expects d_output of shape {output.shape}; received {d_output.shape}"
        )
    scale = 1.0 / math.sqrt(q.shape[-1])
    dv = np.swapaxes(weights, -1, -2) @ d_output
    d_weights = d_output @ np.swapaxes(v, -1, -2)
    # softmax Jacobian, row by row: ds = w * (dw - <dw, w>); masked entries have w = 0 so get ds = 0
    d_scores = weights * (d_weights - np.sum(d_weights * weights, axis=-1, keepdims=True))
    dq = d_scores @ k * scale
    dk = np.swapaxes(d_scores, -1, -2) @ q * scale
    return dq, dk, dv


# --8<-- [end:attention_backward]


# --8<-- [start:multi_head]
import numpy as np


def multi_head_attention(
    query, value, key=None, *, weights, num_heads=None, mask=None, return_attention_scores=False
):
    """Multi-head attention equal to ``keras.layers.MultiHeadAttention`` given its ``get_weights()``.

    Each head projects query, key and value with its own slice of the kernels, runs scaled dot-product
    attention, and the output projection mixes the heads back to the query's width.

    Args:
        query: (batch, seq_q, d_query).
        value: (batch, seq_k, d_value).
        key: (batch, seq_k, d_key); defaults to ``value``, as in Keras.
        weights: ``layer.get_weights()``: [Wq, bq, Wk, bk, Wv, bv, Wo, bo] with Wq (d_query, num_heads,
            key_dim), Wk (d_key, num_heads, key_dim), Wv (d_value, num_heads, value_dim), Wo (num_heads,
            value_dim, d_out), biases (num_heads, key_dim|value_dim) and (d_out,); or the four kernels
            alone for a layer built with ``use_bias=False``.
        num_heads: optional; checked against the kernels' shapes.
        mask: None or (batch, seq_q, seq_k) boolean ``attention_mask`` (True = attend).
        return_attention_scores: also return the per-head weights (batch, num_heads, seq_q, seq_k).

    Returns:
        output (batch, seq_q, d_out), and the weights when asked for.
    """
    key = value if key is None else key
    query, key, value = (_check_float(n, x, 3) for n, x in (("query", query), ("key", key), ("value", value)))
    if len(weights) == 4:
        w_q, w_k, w_v, w_o = (np.asarray(w) for w in weights)
        b_q, b_k, b_v, b_o = (
            np.zeros(w.shape[1:] if w is not w_o else w.shape[-1:], w.dtype) for w in (w_q, w_k, w_v, w_o)
        )
    elif len(weights) == 8:
        w_q, b_q, w_k, b_k, w_v, b_v, w_o, b_o = weights
    else:
        raise ValueError(
            f"multi_head_attention expects 8 weight arrays (or 4 kernels); received {len(weights)}"
        )
    heads = np.shape(w_q)[1] if np.ndim(w_q) == 3 else None
    if num_heads is not None and heads != num_heads:
        raise ValueError(
            f"multi_head_attention expects a query kernel of shape (d_query, {num_heads}, key_dim); "
            f"received shape {np.shape(w_q)}"
        )
    for name, x, w in (("query", query, w_q), ("key", key, w_k), ("value", value, w_v)):
        if np.ndim(w) != 3 or np.shape(w)[0] != x.shape[-1] or np.shape(w)[1] != heads:
            raise ValueError(
                f"multi_head_attention expects a {name} kernel of shape ({x.shape[-1]}, num_heads, dim) "
                f"matching {name} of shape {x.shape}; received kernel shape {np.shape(w)}"
            )
    # (batch, seq, d) x (d, heads, dim) -> (batch, heads, seq, dim)
    q = np.einsum("bsd,dhk->bhsk", query, w_q) + np.expand_dims(b_q, -2)
    k = np.einsum("bsd,dhk->bhsk", key, w_k) + np.expand_dims(b_k, -2)
    v = np.einsum("bsd,dhk->bhsk", value, w_v) + np.expand_dims(b_v, -2)
    mask = None if mask is None else np.expand_dims(np.asarray(mask), -3)  # one mask for every head
    context, attention = scaled_dot_product_attention(q, k, v, mask)
    output = np.einsum("bhsk,hko->bso", context, w_o) + b_o
    return (output, attention) if return_attention_scores else output


# --8<-- [end:multi_head]
