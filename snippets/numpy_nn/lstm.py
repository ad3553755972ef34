"""An LSTM layer in NumPy with Keras' weight layout (batch first, gate columns
i, f, c, o), and backpropagation through time, gate by gate."""

from snippets.numpy_nn.activations import sigmoid
from snippets.numpy_nn.rnn import check_recurrent, gradient_or_zeros, initial_state

# isort: split
# --8<-- [start:lstm]
import numpy as np


def lstm(x, kernel, recurrent_kernel, bias, h0=None, c0=None,
         return_cache=False):
    """``keras.layers.LSTM(units, return_sequences=True, return_state=True)``
    from its ``get_weights()``.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: (features, 4 * units); recurrent_kernel: (units, 4 * units);
            bias: (4 * units,). Their columns are four blocks, one per gate,
            in Keras' order: input i, forget f, candidate c~, output o.
        h0, c0: initial hidden and cell states (batch, units); zeros if None.
        return_cache: also return what ``lstm_backward`` needs.

    Returns:
        (sequence, h, c): every h_t (batch, time, units), the last h and
        the last c (batch, units); plus the cache when return_cache is True.
    """
    x, units, kernel, recurrent_kernel, bias = check_recurrent(
        "lstm", x, kernel, recurrent_kernel, bias, gates=4)
    h = initial_state("lstm", "h0", h0, x, units)
    c = initial_state("lstm", "c0", c0, x, units)
    W_i, W_f, W_c, W_o = np.split(kernel, 4, axis=1)
    U_i, U_f, U_c, U_o = np.split(recurrent_kernel, 4, axis=1)
    b_i, b_f, b_c, b_o = np.split(bias, 4)
    hs, cs, gates = [h], [c], []  # hs[t + 1] is h_t; hs[0] is h0
    for t in range(x.shape[1]):
        x_t = x[:, t]
        i = sigmoid(x_t @ W_i + h @ U_i + b_i)  # input gate: how much to write
        f = sigmoid(x_t @ W_f + h @ U_f + b_f)  # forget gate: how much to keep
        c_tilde = np.tanh(x_t @ W_c + h @ U_c + b_c)  # candidate values
        o = sigmoid(x_t @ W_o + h @ U_o + b_o)  # output gate: how much to show
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
        gates.append((i, f, c_tilde, o))
    sequence = np.stack(hs[1:], axis=1)
    if return_cache:
        return sequence, h, c, (x, kernel, recurrent_kernel, hs, cs, gates)
    return sequence, h, c


def lstm_backward(dsequence, cache, dh=None, dc=None):
    """Backpropagation through time for ``lstm``.

    Args:
        dsequence: gradient w.r.t. the returned sequence (batch, time, units);
            None if the sequence was not used.
        cache: the last value ``lstm(..., return_cache=True)`` returned.
        dh, dc: gradients w.r.t. the returned last h and c (batch, units);
            None if unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0, dc0), shaped like the
        forward pass's arguments.
    """
    x, W, U, hs, cs, gates = cache
    batch, steps, units = x.shape[0], x.shape[1], U.shape[0]
    fn, dtype = "lstm_backward", hs[0].dtype
    dsequence = gradient_or_zeros(fn, "dsequence", dsequence,
                                  (batch, steps, units), dtype)
    dh_next = gradient_or_zeros(fn, "dh", dh, (batch, units), dtype)
    dc_next = gradient_or_zeros(fn, "dc", dc, (batch, units), dtype)
    # gradient w.r.t. each step's pre-activations x_t W + h_{t-1} U + b
    dz = np.zeros((batch, steps, 4 * units), dtype=np.result_type(x, W, U))
    for t in reversed(range(steps)):
        i, f, c_tilde, o = gates[t]
        tanh_c = np.tanh(cs[t + 1])
        dh_t = dsequence[:, t] + dh_next  # from the output at t and from t + 1
        # h = o * tanh(c):
        do = dh_t * tanh_c
        dc_t = dc_next + dh_t * o * (1 - tanh_c**2)
        # c = f * c_prev + i * c~:
        di, df, dc_tilde = dc_t * c_tilde, dc_t * cs[t], dc_t * i
        # through each gate's activation to its pre-activation x W + h U + b
        dz[:, t] = np.concatenate([di * i * (1 - i),  # sigmoid' = s (1 - s)
                                   df * f * (1 - f),
                                   dc_tilde * (1 - c_tilde**2),  # 1 - tanh^2
                                   do * o * (1 - o)], axis=1)
        dh_next = dz[:, t] @ U.T  # to the previous step, through all 4 gates
        dc_next = dc_t * f  # the forget gate is c's only factor backwards
    # W, U and b are shared by every step, so their gradients sum over time
    # (and the batch): one product each, over all steps at once
    h_prev = np.stack(hs[:-1], axis=1)  # h_{t-1} for every t
    dW = x.reshape(-1, x.shape[2]).T @ dz.reshape(-1, 4 * units)
    dU = h_prev.reshape(-1, units).T @ dz.reshape(-1, 4 * units)
    return dz @ W.T, dW, dU, dz.sum(axis=(0, 1)), dh_next, dc_next
# --8<-- [end:lstm]
