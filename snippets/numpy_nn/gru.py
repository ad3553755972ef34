"""A GRU layer in NumPy with Keras' layout (gate columns z, r, h;
``reset_after=True``), and backpropagation through time, gate by gate."""

from snippets.numpy_nn.activations import sigmoid
from snippets.numpy_nn.rnn import check_recurrent, gradient_or_zeros, initial_state

# isort: split
# --8<-- [start:gru]
import numpy as np


def gru(x, kernel, recurrent_kernel, bias, h0=None, return_cache=False):
    """``keras.layers.GRU(units, return_sequences=True, return_state=True)``
    (``reset_after=True``, Keras' default) from its ``get_weights()``.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: (features, 3 * units); recurrent_kernel: (units, 3 * units).
            Their columns are three blocks in Keras' order: update gate z,
            reset gate r, candidate h~.
        bias: (2, 3 * units): row 0 is added to x W, row 1 to h U.
        h0: initial state (batch, units); zeros when None.
        return_cache: also return what ``gru_backward`` needs.

    Returns:
        (sequence, h): every h_t (batch, time, units) and the last one
        (batch, units); plus the cache when return_cache is True.
    """
    x, units, kernel, recurrent_kernel, bias = check_recurrent(
        "gru", x, kernel, recurrent_kernel, bias, gates=3, bias_rows=2)
    h = initial_state("gru", "h0", h0, x, units)
    W_z, W_r, W_h = np.split(kernel, 3, axis=1)
    U_z, U_r, U_h = np.split(recurrent_kernel, 3, axis=1)
    bx_z, bx_r, bx_h = np.split(bias[0], 3)  # added to the input part
    bh_z, bh_r, bh_h = np.split(bias[1], 3)  # added to the recurrent part
    hs, gates = [h], []  # hs[t + 1] is h_t; hs[0] is h0
    for t in range(x.shape[1]):
        x_t = x[:, t]
        z = sigmoid(x_t @ W_z + bx_z + h @ U_z + bh_z)  # update gate
        r = sigmoid(x_t @ W_r + bx_r + h @ U_r + bh_r)  # reset gate
        hu = h @ U_h + bh_h  # reset_after: r scales h U_h + b, not h
        h_tilde = np.tanh(x_t @ W_h + bx_h + r * hu)  # candidate
        h = z * h + (1 - z) * h_tilde
        hs.append(h)
        gates.append((z, r, h_tilde, hu))
    sequence = np.stack(hs[1:], axis=1)
    if return_cache:
        return sequence, h, (x, kernel, recurrent_kernel, hs, gates)
    return sequence, h


def gru_backward(dsequence, cache, dh=None):
    """Backpropagation through time for ``gru``.

    Args:
        dsequence: gradient w.r.t. the returned sequence (batch, time, units);
            None if the sequence was not used.
        cache: the last value ``gru(..., return_cache=True)`` returned.
        dh: gradient w.r.t. the returned last state (batch, units); None if
            unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0), shaped like the forward
        pass's arguments (dbias (2, 3 * units), like the bias).
    """
    x, W, U, hs, gates = cache
    batch, steps, units = x.shape[0], x.shape[1], U.shape[0]
    fn = "gru_backward"
    dtype = np.result_type(x, W, U)
    dsequence = gradient_or_zeros(fn, "dsequence", dsequence,
                                  (batch, steps, units), dtype)
    dh_next = gradient_or_zeros(fn, "dh", dh, (batch, units), dtype)
    # gradients w.r.t. each step's x_t W + b_x and h_{t-1} U + b_h
    dxw = np.zeros((batch, steps, 3 * units), dtype=dtype)
    dhu = np.zeros((batch, steps, 3 * units), dtype=dtype)
    for t in reversed(range(steps)):
        z, r, h_tilde, hu = gates[t]
        dh_t = dsequence[:, t] + dh_next  # from the output at t and from t + 1
        # h = z * h_prev + (1 - z) * h~:
        dz = dh_t * (hs[t] - h_tilde)
        da_h = dh_t * (1 - z) * (1 - h_tilde**2)  # h~'s pre-activation
        dr = da_h * hu
        da_z, da_r = dz * z * (1 - z), dr * r * (1 - r)  # sigmoid' = s (1 - s)
        dxw[:, t] = np.concatenate([da_z, da_r, da_h], axis=1)
        # r scales the h~ part of h U + b_h
        dhu[:, t] = np.concatenate([da_z, da_r, da_h * r], axis=1)
        dh_next = dh_t * z + dhu[:, t] @ U.T  # directly through z, and via U
    # W, U and the biases are shared by every step, so their gradients sum
    # over time (and the batch): one product each, over all steps at once
    h_prev = np.stack(hs[:-1], axis=1)  # h_{t-1} for every t
    dW = x.reshape(-1, x.shape[2]).T @ dxw.reshape(-1, 3 * units)
    dU = h_prev.reshape(-1, units).T @ dhu.reshape(-1, 3 * units)
    db = np.stack([dxw.sum(axis=(0, 1)), dhu.sum(axis=(0, 1))])
    return dxw @ W.T, dW, dU, db, dh_next
# --8<-- [end:gru]
