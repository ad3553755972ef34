"""A GRU layer in NumPy with Keras' layout (gates z, r, h; ``reset_after=True``), and backpropagation through time."""

from snippets.numpy_nn.rnn import _check_rnn, _initial_state, _zeros_or

# isort: split
# --8<-- [start:gru]
import numpy as np


def _sigmoid(z):
    """1 / (1 + exp(-z)) as 0.5 + 0.5 tanh(z / 2): the same function, and it never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def gru(x, kernel, recurrent_kernel, bias, h0=None, return_cache=False):
    """``keras.layers.GRU(units, return_sequences=True, return_state=True)`` (reset_after=True) from its weights.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: shape (features, 3 * units); recurrent_kernel: shape (units, 3 * units); columns are the
            update gate z, the reset gate r and the candidate h~, in that order.
        bias: shape (2, 3 * units): row 0 is added to the input projection, row 1 to the recurrent one.
        h0: initial state, shape (batch, units); zeros when None.
        return_cache: also return what ``gru_backward`` needs.

    Returns:
        (sequence, h): hidden states (batch, time, units) and the last one (batch, units);
        plus ``cache`` when return_cache is True.
    """
    x, units = _check_rnn(x, kernel, recurrent_kernel, bias, 3, "gru", bias_shape=lambda u: (2, 3 * u))
    h = _initial_state(h0, x, units, "h0", "gru")
    steps = x.shape[1]
    xw = np.swapaxes(x, 0, 1) @ kernel + bias[0]  # (time, batch, 3 * units): all input projections at once
    hs = np.empty((steps + 1, *h.shape), dtype=xw.dtype)  # hs[t + 1] = h_t, hs[0] = h0
    hs[0] = h
    acts = np.empty_like(xw)  # z, r, h~ of every step
    hu = np.empty_like(xw)  # h_{t-1} U + b_recurrent of every step (its h~ part is needed by the backward)
    for t in range(steps):
        np.matmul(hs[t], recurrent_kernel, out=hu[t])
        hu[t] += bias[1]
        zr = _sigmoid(xw[t, :, :2 * units] + hu[t, :, :2 * units])
        z, r = zr[:, :units], zr[:, units:]
        cand = np.tanh(xw[t, :, 2 * units:] + r * hu[t, :, 2 * units:])  # reset_after: r scales h U, not h
        acts[t, :, :2 * units], acts[t, :, 2 * units:] = zr, cand
        hs[t + 1] = cand + z * (hs[t] - cand)  # h_t = z * h_{t-1} + (1 - z) * h~
    sequence = np.swapaxes(hs[1:], 0, 1)
    if return_cache:
        return sequence, hs[-1], (x, kernel, recurrent_kernel, acts, hu, hs)
    return sequence, hs[-1]
# --8<-- [end:gru]


# --8<-- [start:gru_backward]
import numpy as np  # noqa: E402  (each included section carries its imports)


def gru_backward(dsequence, cache, dh=None):
    """Backpropagation through time for ``gru``.

    Args:
        dsequence: gradient w.r.t. the returned sequence, shape (batch, time, units); None if unused.
        cache: the third value ``gru(..., return_cache=True)`` returned.
        dh: gradient w.r.t. the returned final state, shape (batch, units); None if unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0), shaped like the forward pass's arguments
        (dbias has shape (2, 3 * units), like the bias).
    """
    x, kernel, recurrent_kernel, acts, hu, hs = cache
    steps, batch, units = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    dsequence = _zeros_or(dsequence, (batch, steps, units), hs.dtype, "dsequence", "gru_backward")
    dh_next = _zeros_or(dh, (batch, units), hs.dtype, "dh", "gru_backward")
    dxw = np.empty_like(acts)  # gradient w.r.t. x_t W + b_input, per gate
    dhu = np.empty_like(acts)  # gradient w.r.t. h_{t-1} U + b_recurrent, per gate
    for t in reversed(range(steps)):
        z, r, cand = acts[t, :, :units], acts[t, :, units:2 * units], acts[t, :, 2 * units:]
        dh_t = dsequence[:, t] + dh_next
        da_cand = dh_t * (1 - z) * (1 - cand**2)
        dxw[t, :, :units] = dh_t * (hs[t] - cand) * z * (1 - z)
        dxw[t, :, units:2 * units] = da_cand * hu[t, :, 2 * units:] * r * (1 - r)
        dxw[t, :, 2 * units:] = da_cand
        dhu[t, :, :2 * units] = dxw[t, :, :2 * units]  # z and r see x W and h U through the same sum
        dhu[t, :, 2 * units:] = da_cand * r
        dh_next = dh_t * z + dhu[t] @ recurrent_kernel.T
    dxw2d, dhu2d = dxw.reshape(-1, 3 * units), dhu.reshape(-1, 3 * units)
    dkernel = np.swapaxes(x, 0, 1).reshape(-1, x.shape[2]).T @ dxw2d
    drecurrent_kernel = hs[:-1].reshape(-1, units).T @ dhu2d
    dbias = np.stack([dxw2d.sum(axis=0), dhu2d.sum(axis=0)])
    dx = np.swapaxes(dxw @ kernel.T, 0, 1)
    return dx, dkernel, drecurrent_kernel, dbias, dh_next
# --8<-- [end:gru_backward]
