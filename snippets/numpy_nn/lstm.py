"""An LSTM layer in NumPy with Keras' weight layout (gates i, f, c, o), and backpropagation through time."""

from snippets.numpy_nn.rnn import _check_rnn, _initial_state, _zeros_or

# isort: split
# --8<-- [start:lstm]
import numpy as np


def _gate_scale(units, dtype):
    """Per-row factors, shape (4 * units, 1): 0.5 for the sigmoid gates i, f, o and 1 for the tanh candidate c.

    sigmoid(z) = 0.5 + 0.5 * tanh(z / 2) never overflows, and lets one tanh call serve all four gates: scale the
    sigmoid gates' pre-activations by 0.5 (folded into the weights), take tanh, then halve and add 0.5.
    """
    a = np.full((4 * units, 1), 0.5, dtype=dtype)
    a[2 * units:3 * units] = 1.0
    return a


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
    batch, steps = x.shape[:2]
    dtype = np.result_type(x, kernel, recurrent_kernel, bias, h, c)
    a = _gate_scale(units, dtype)
    # Inside, every array is transposed: gates (or units) down the rows, the batch along each row. A step's
    # product is then U'^T h^T, of shape (4 * units, batch), which BLAS computes faster than h U' when the
    # batch is small (70 vs 100 us at batch 32 and 256 units), and each gate is one contiguous block of rows.
    # The input projection of every step before the loop, pre-scaled by a (so is U): only U'^T h^T is left.
    # It is written where the gates go: step t adds its recurrent product to gates[t] and turns it into
    # i, f, c~, o in place (kept for the backward pass), so no second (time, 4 * units, batch) array is needed.
    gates = np.matmul(kernel.T * a, x.transpose(1, 2, 0))  # (time, 4 * units, batch): (x_t W)^T for every t
    gates += bias[:, None] * a
    u_t = np.ascontiguousarray(recurrent_kernel.T * a)  # (4 * units, units)
    recurrent = np.empty((4 * units, batch), dtype=dtype)  # one step's U'^T h^T
    hs = np.empty((steps + 1, units, batch), dtype=dtype)  # hs[t + 1] = h_t^T, hs[0] = h0^T
    cs = np.empty_like(hs)  # cs[t + 1] = c_t^T
    hs[0], cs[0] = h.T, c.T
    for t in range(steps):
        g = gates[t]
        g += np.matmul(u_t, hs[t], out=recurrent)
        np.tanh(g, out=g)
        for sigmoid in (g[:2 * units], g[3 * units:]):  # i, f and o: 0.5 + 0.5 tanh(z / 2)
            sigmoid *= 0.5
            sigmoid += 0.5
        i, f, cand, o = g[:units], g[units:2 * units], g[2 * units:3 * units], g[3 * units:]
        np.multiply(f, cs[t], out=cs[t + 1])
        cs[t + 1] += i * cand  # c_t = f * c_{t-1} + i * c~: the cell state is only scaled and added to
        np.multiply(o, np.tanh(cs[t + 1]), out=hs[t + 1])  # h_t = o * tanh(c_t)
    sequence = hs[1:].transpose(2, 0, 1)  # back to (batch, time, units)
    if return_cache:
        return sequence, hs[-1].T, cs[-1].T, (x, kernel, recurrent_kernel, gates, hs, cs)
    return sequence, hs[-1].T, cs[-1].T
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
    x, kernel, recurrent_kernel, gates, hs, cs = cache  # transposed: (time, units or 4 * units, batch)
    steps, units, batch = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    fn = "lstm_backward"
    dseq = _zeros_or(dsequence, (batch, steps, units), hs.dtype, "dsequence", fn).transpose(1, 2, 0)
    dh_next = _zeros_or(dh, (batch, units), hs.dtype, "dh", fn).T
    dc_next = _zeros_or(dc, (batch, units), hs.dtype, "dc", fn).T
    # Everything that does not depend on the incoming gradient, for all steps at once, before the loop:
    # d gate / d pre-activation is s (1 - s) for the sigmoids and 1 - t^2 for the tanh, and
    # d c_t / d (i, f, c~) = (c~, c_{t-1}, i), d h_t / d o = tanh(c_t): their products are `partner`.
    tanh_c = np.tanh(cs[1:])
    partner = np.concatenate([gates[:, 2 * units:3 * units], cs[:-1], gates[:, :units], tanh_c], axis=1)
    slope = gates * (1 - gates)
    slope[:, 2 * units:3 * units] = 1 - gates[:, 2 * units:3 * units] ** 2
    partner *= slope
    h_to_c = gates[:, 3 * units:] * (1 - tanh_c**2)  # d c-path of h_t = o * tanh(c_t)
    dz = np.empty_like(gates)  # gradient w.r.t. each step's pre-activations (x_t W + h_{t-1} U + b)^T
    # i, f and c~ reach the loss through c_t: their three blocks of rows, seen as (time, 3, units, batch)
    partner_c, dz_c = (a[:, :3 * units].reshape(steps, 3, units, batch) for a in (partner, dz))
    for t in reversed(range(steps)):
        dh_t = dseq[t] + dh_next
        dc_t = dc_next + dh_t * h_to_c[t]
        np.multiply(partner_c[t], dc_t, out=dz_c[t])  # i, f, c~ through c_t...
        np.multiply(partner[t, 3 * units:], dh_t, out=dz[t, 3 * units:])  # ...and o through h_t
        dc_next = dc_t * gates[t, units:2 * units]  # the forget gate is the cell state's only multiplier back
        dh_next = recurrent_kernel @ dz[t]
    # The weights' gradients sum over time and batch: one product each, contracting both axes
    dkernel = np.tensordot(x, dz, axes=([1, 0], [0, 2]))  # x: (batch, time, features), dz: (time, 4u, batch)
    drecurrent_kernel = np.tensordot(hs[:-1], dz, axes=([0, 2], [0, 2]))
    dx = np.tensordot(dz, kernel, axes=([1], [1])).transpose(1, 0, 2)  # (time, batch, features) -> batch first
    return dx, dkernel, drecurrent_kernel, dz.sum(axis=(0, 2)), dh_next.T, dc_next.T
# --8<-- [end:lstm_backward]
