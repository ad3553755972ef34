"""A simple (Elman) RNN in NumPy with Keras' ``SimpleRNN`` weight layout, and
backpropagation through time; also the input checks the three recurrent layers
(``rnn.py``, ``lstm.py``, ``gru.py``) share.
"""

# --8<-- [start:checks]
import numpy as np


def check_recurrent(fn, x, kernel, recurrent_kernel, bias, gates,
                    bias_rows=0):
    """Check a recurrent layer's arguments; return (x, units, kernel,
    recurrent_kernel, bias), the four arrays as NumPy arrays.

    Args:
        fn: the caller's name, for the error messages.
        x: sequences, shape (batch, time, features).
        kernel: (features, gates * units);
        recurrent_kernel: (units, gates * units).
        bias: (gates * units,), or (bias_rows, gates * units) if bias_rows.
        gates: blocks of columns: 1 (simple RNN), 4 (LSTM) or 3 (GRU).
    """
    x, kernel, recurrent_kernel, bias = (
        np.asarray(a) for a in (x, kernel, recurrent_kernel, bias))
    if x.ndim != 3 or x.shape[1] == 0:
        raise ValueError(f"{fn} expects x of shape (batch, time, features) "
                         f"with time >= 1; received shape {x.shape}")
    arrays = {"x": x, "kernel": kernel,
              "recurrent_kernel": recurrent_kernel, "bias": bias}
    for name, value in arrays.items():
        dtype = np.asarray(value).dtype
        if not np.issubdtype(dtype, np.floating):
            raise ValueError(f"{fn} expects a floating-point {name}; "
                             f"received dtype {dtype}")
    ndim = np.ndim(recurrent_kernel)
    units = np.shape(recurrent_kernel)[0] if ndim else 0
    columns = gates * units
    expected = {"kernel": (x.shape[2], columns),
                "recurrent_kernel": (units, columns),
                "bias": (bias_rows, columns) if bias_rows else (columns,)}
    for name, shape in expected.items():
        if units < 1 or np.shape(arrays[name]) != shape:
            if units < 1:
                shape = f"(units, {gates} * units)"
            raise ValueError(
                f"{fn} expects {name} of shape {shape} for x with "
                f"{x.shape[2]} features; received shape "
                f"{np.shape(arrays[name])}")
    for name, value in arrays.items():
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{fn} expects finite values in {name}; "
                             "received NaN or inf")
    return x, units, kernel, recurrent_kernel, bias


def initial_state(fn, name, state, x, units):
    """Zeros of shape (batch, units) when ``state`` is None, else ``state``
    checked against that shape."""
    shape = (x.shape[0], units)
    if state is None:
        return np.zeros(shape, dtype=x.dtype)
    return gradient_or_zeros(fn, name, state, shape, x.dtype)


def gradient_or_zeros(fn, name, value, shape, dtype):
    """``value`` as an array of ``shape`` (ValueError otherwise); zeros when
    None, for a gradient of an output that was not used."""
    if value is None:
        return np.zeros(shape, dtype=dtype)
    value = np.asarray(value)
    if value.shape != shape:
        raise ValueError(f"{fn} expects {name} of shape {shape}; "
                         f"received shape {value.shape}")
    if not np.issubdtype(value.dtype, np.floating):
        raise ValueError(f"{fn} expects a floating-point {name}; "
                         f"received dtype {value.dtype}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{fn} expects finite values in {name}; "
                         "received NaN or inf")
    return value
# --8<-- [end:checks]


# --8<-- [start:simple_rnn]
import numpy as np


def simple_rnn(x, kernel, recurrent_kernel, bias, h0=None, return_cache=False):
    """h_t = tanh(x_t W + h_{t-1} U + b) for every step t, as
    ``keras.layers.SimpleRNN(units, return_sequences=True, return_state=True)``.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: W (features, units); recurrent_kernel: U (units, units);
            bias: b (units,): the layer's ``get_weights()`` in order.
        h0: initial state (batch, units); zeros when None.
        return_cache: also return what ``simple_rnn_backward`` needs.

    Returns:
        (sequence, h): every h_t (batch, time, units) and the last one
        (batch, units); plus the cache when return_cache is True.
    """
    x, units, kernel, recurrent_kernel, bias = check_recurrent(
        "simple_rnn", x, kernel, recurrent_kernel, bias, gates=1)
    h = initial_state("simple_rnn", "h0", h0, x, units)
    W, U, b = kernel, recurrent_kernel, bias
    hs = [h]  # hs[t + 1] is h_t; hs[0] is h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        hs.append(h)
    sequence = np.stack(hs[1:], axis=1)
    if return_cache:
        return sequence, h, (x, kernel, recurrent_kernel, hs)
    return sequence, h
# --8<-- [end:simple_rnn]


# --8<-- [start:simple_rnn_backward]
import numpy as np


def simple_rnn_backward(dsequence, cache, dh=None):
    """Backpropagation through time for ``simple_rnn``.

    Args:
        dsequence: gradient w.r.t. the returned sequence (batch, time, units);
            None if the sequence was not used.
        cache: the last value ``simple_rnn(..., return_cache=True)`` returned.
        dh: gradient w.r.t. the returned last state (batch, units); None if
            unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0), shaped like the forward
        pass's arguments.
    """
    x, W, U, hs = cache
    batch, steps, units = x.shape[0], x.shape[1], U.shape[0]
    fn = "simple_rnn_backward"
    dsequence = gradient_or_zeros(fn, "dsequence", dsequence,
                                  (batch, steps, units), hs[0].dtype)
    dh_next = gradient_or_zeros(fn, "dh", dh, (batch, units), hs[0].dtype)
    # gradient w.r.t. each step's pre-activation a_t = x_t W + h_{t-1} U + b
    da = np.zeros((batch, steps, units), dtype=np.result_type(x, W, U))
    for t in reversed(range(steps)):
        dh_t = dsequence[:, t] + dh_next  # from the output at t and from t + 1
        da[:, t] = dh_t * (1 - hs[t + 1] ** 2)  # through tanh
        dh_next = da[:, t] @ U.T  # to the previous step, through U
    # W, U and b are shared by every step, so their gradients sum over time
    # (and the batch): one product each, over all steps at once
    h_prev = np.stack(hs[:-1], axis=1)  # h_{t-1} for every t
    dW = x.reshape(-1, x.shape[2]).T @ da.reshape(-1, units)
    dU = h_prev.reshape(-1, units).T @ da.reshape(-1, units)
    return da @ W.T, dW, dU, da.sum(axis=(0, 1)), dh_next
# --8<-- [end:simple_rnn_backward]
