"""An LSTM layer in NumPy with Keras' weight layout (gates i, f, c, o), and backpropagation through time."""

from snippets.numpy_nn.rnn import _check_rnn, _initial_state, _zeros_or

# isort: split
# --8<-- [start:lstm]
import numpy as np


def _gate_scale(units, dtype):
    """Per-column factors (a, b) with gates = a * tanh(a * z) + b: sigmoid for i, f, o and tanh for c.

    sigmoid(z) = 0.5 + 0.5 * tanh(z / 2) never overflows, and lets one tanh call serve all four gates.
    """
    a = np.full(4 * units, 0.5, dtype=dtype)
    a[2 * units:3 * units] = 1.0
    return a, np.where(a == 0.5, 0.5, 0.0).astype(dtype)


def lstm(x, kernel, recurrent_kernel, bias, h0=None, c0=None, return_cache=False):
    """``keras.layers.LSTM(units, return_sequences=True, return_state=True)`` from its ``get_weights()``.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: shape (features, 4 * units); recurrent_kernel: shape (units, 4 * units); bias: (4 * units,).
            Columns are the gates in Keras' order: input i, forget f, candidate c, output o.
        h0, c0: initial hidden and cell states, shape (batch, units); zeros when None.
        return_cache: also return what ``lstm_backward`` needs.

    Returns:
        (sequence, h, c): hidden states (batch, time, units), last hidden state and last cell state
        (batch, units); plus ``cache`` when return_cache is True.
    """
    x, units = _check_rnn(x, kernel, recurrent_kernel, bias, 4, "lstm")
    h = _initial_state(h0, x, units, "h0", "lstm")
    c = _initial_state(c0, x, units, "c0", "lstm")
    steps = x.shape[1]
    dtype = np.result_type(x, kernel, recurrent_kernel, bias, h, c)
    a, b = _gate_scale(units, dtype)
    # The input projection of every step in one product, pre-scaled by a (so is U): only h_{t-1} U' is left
    xs = np.swapaxes(x, 0, 1).reshape(steps * x.shape[0], x.shape[2])  # (time * batch, features)
    xw = ((xs @ kernel + bias) * a).reshape(steps, x.shape[0], 4 * units)
    u = recurrent_kernel * a
    gates = np.empty_like(xw)  # i, f, c~, o of every step, kept for the backward pass
    hs = np.empty((steps + 1, *h.shape), dtype=dtype)  # hs[t + 1] = h_t, hs[0] = h0
    cs = np.empty_like(hs)  # cs[t + 1] = c_t
    hs[0], cs[0] = h, c
    for t in range(steps):
        g = np.matmul(hs[t], u, out=gates[t])
        g += xw[t]
        np.tanh(g, out=g)
        g *= a
        g += b
        i, f, cand, o = g[:, :units], g[:, units:2 * units], g[:, 2 * units:3 * units], g[:, 3 * units:]
        np.multiply(f, cs[t], out=cs[t + 1])
        cs[t + 1] += i * cand  # c_t = f * c_{t-1} + i * c~: the cell state is only scaled and added to
        np.multiply(o, np.tanh(cs[t + 1]), out=hs[t + 1])  # h_t = o * tanh(c_t)
    sequence = np.swapaxes(hs[1:], 0, 1)
    if return_cache:
        return sequence, hs[-1], cs[-1], (x, kernel, recurrent_kernel, gates, hs, cs)
    return sequence, hs[-1], cs[-1]
# --8<-- [end:lstm]


# --8<-- [start:lstm_backward]
import numpy as np  # noqa: E402  (each included section carries its imports)


def lstm_backward(dsequence, cache, dh=None, dc=None):
    """Backpropagation through time for ``lstm``.

    Args:
        dsequence: gradient w.r.t. the returned sequence, shape (batch, time, units); None if unused.
        cache: the fourth value ``lstm(..., return_cache=True)`` returned.
        dh, dc: gradients w.r.t. the returned final h and c, shape (batch, units); None if unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0, dc0), shaped like the forward pass's arguments.
    """
    x, kernel, recurrent_kernel, gates, hs, cs = cache
    steps, batch, units = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    fn = "lstm_backward"
    dsequence = _zeros_or(dsequence, (batch, steps, units), hs.dtype, "dsequence", fn)
    dh_next = _zeros_or(dh, (batch, units), hs.dtype, "dh", fn)
    dc_next = _zeros_or(dc, (batch, units), hs.dtype, "dc", fn)
    # Everything that does not depend on the incoming gradient, for all steps at once, before the loop:
    # d gate / d pre-activation is s (1 - s) for the sigmoids and 1 - t^2 for the tanh, and
    # d c_t / d (i, f, c~) = (c~, c_{t-1}, i), d h_t / d o = tanh(c_t): their products are `partner`.
    tanh_c = np.tanh(cs[1:])
    partner = np.concatenate([gates[..., 2 * units:3 * units], cs[:-1], gates[..., :units], tanh_c], axis=-1)
    slope = gates * (1 - gates)
    slope[..., 2 * units:3 * units] = 1 - gates[..., 2 * units:3 * units] ** 2
    partner *= slope
    h_to_c = gates[..., 3 * units:] * (1 - tanh_c**2)  # d c-path of h_t = o * tanh(c_t)
    forget = np.ascontiguousarray(gates[..., units:2 * units])
    dseq, u_t = np.swapaxes(dsequence, 0, 1), np.ascontiguousarray(recurrent_kernel.T)
    dz = np.empty_like(gates)  # gradient w.r.t. each step's pre-activations x_t W + h_{t-1} U + b
    for t in reversed(range(steps)):
        dh_t = dseq[t] + dh_next
        dc_t = dc_next + dh_t * h_to_c[t]
        for k in range(3):  # i, f and c~ reach the loss through c_t...
            np.multiply(dc_t, partner[t, :, k * units:(k + 1) * units], out=dz[t, :, k * units:(k + 1) * units])
        np.multiply(dh_t, partner[t, :, 3 * units:], out=dz[t, :, 3 * units:])  # ...and o through h_t
        dc_next = dc_t * forget[t]  # the forget gate is the cell state's only multiplier on the way back
        dh_next = dz[t] @ u_t
    dz2d, xs = dz.reshape(-1, 4 * units), np.swapaxes(x, 0, 1).reshape(-1, x.shape[2])
    dkernel = xs.T @ dz2d
    drecurrent_kernel = hs[:-1].reshape(-1, units).T @ dz2d
    dx = np.swapaxes(dz @ kernel.T, 0, 1)
    return dx, dkernel, drecurrent_kernel, dz2d.sum(axis=0), dh_next, dc_next
# --8<-- [end:lstm_backward]
