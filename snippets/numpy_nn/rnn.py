"""A simple (Elman) RNN in NumPy with Keras' ``SimpleRNN`` weight layout, and backpropagation through time.

Inputs of every step are projected in one matrix product before the loop; the loop over time steps holds only
the recurrent product and the activation.
"""

# --8<-- [start:check]
import numpy as np


def _check_rnn(x, kernel, recurrent_kernel, bias, num_gates, fn, bias_shape=None):
    """Validate a recurrent layer's inputs; return (x, units). ``num_gates``: 1 (RNN), 4 (LSTM), 3 (GRU)."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"{fn} expects x of shape (batch, time, features); received shape {x.shape}")
    arrays = {"x": x, "kernel": kernel, "recurrent_kernel": recurrent_kernel, "bias": bias}
    for name, value in arrays.items():
        if not np.issubdtype(np.asarray(value).dtype, np.floating):
            raise ValueError(f"{fn} expects a floating-point {name}; received dtype {np.asarray(value).dtype}")
    units = np.shape(recurrent_kernel)[0] if np.ndim(recurrent_kernel) == 2 else -1
    expected = {
        "kernel": (x.shape[2], num_gates * units),
        "recurrent_kernel": (units, num_gates * units),
        "bias": bias_shape(units) if bias_shape else (num_gates * units,),
    }
    for name, shape in expected.items():
        if units < 1 or np.shape(arrays[name]) != shape:
            raise ValueError(
                f"{fn} expects {name} of shape {shape if units > 0 else '(units, gates * units)'} for "
                f"x with {x.shape[2]} features; received shape {np.shape(arrays[name])}"
            )
    return x, units


def _initial_state(state, x, units, name, fn):
    """Zeros of shape (batch, units) when ``state`` is None, else ``state`` checked against that shape."""
    if state is None:
        return np.zeros((x.shape[0], units), dtype=x.dtype)
    state = np.asarray(state)
    if state.shape != (x.shape[0], units):
        raise ValueError(f"{fn} expects {name} of shape {(x.shape[0], units)}; received shape {state.shape}")
    return state


def _zeros_or(grad, shape, dtype, name, fn):
    """The gradient of a final state: zeros when None (the state was not used), else checked."""
    if grad is None:
        return np.zeros(shape, dtype=dtype)
    grad = np.asarray(grad)
    if grad.shape != shape:
        raise ValueError(f"{fn} expects {name} of shape {shape}; received shape {grad.shape}")
    return grad
# --8<-- [end:check]


# --8<-- [start:simple_rnn]
def simple_rnn(x, kernel, recurrent_kernel, bias, h0=None, return_cache=False):
    """h_t = tanh(x_t W + h_{t-1} U + b) for every step: ``keras.layers.SimpleRNN`` with return_state.

    Args:
        x: sequences, shape (batch, time, features).
        kernel: W, shape (features, units); recurrent_kernel: U, shape (units, units); bias: b, shape (units,)
            (the layer's ``get_weights()`` in order).
        h0: initial state, shape (batch, units); zeros when None.
        return_cache: also return what ``simple_rnn_backward`` needs.

    Returns:
        (sequence, h): all hidden states (batch, time, units) and the last one (batch, units);
        plus ``cache`` when return_cache is True.
    """
    x, units = _check_rnn(x, kernel, recurrent_kernel, bias, 1, "simple_rnn")
    h = _initial_state(h0, x, units, "h0", "simple_rnn")
    steps = x.shape[1]
    xw = np.swapaxes(x, 0, 1) @ kernel + bias  # (time, batch, units): the inputs of all steps in one product
    hs = np.empty((steps + 1, *h.shape), dtype=xw.dtype)  # hs[t + 1] is h_t; hs[0] is h0
    hs[0] = h
    for t in range(steps):
        hs[t + 1] = np.tanh(xw[t] + hs[t] @ recurrent_kernel)
    sequence = np.swapaxes(hs[1:], 0, 1)
    if return_cache:
        return sequence, hs[-1], (x, kernel, recurrent_kernel, hs)
    return sequence, hs[-1]
# --8<-- [end:simple_rnn]


# --8<-- [start:simple_rnn_backward]
def simple_rnn_backward(dsequence, cache, dh=None):
    """Backpropagation through time for ``simple_rnn``.

    Args:
        dsequence: gradient w.r.t. the returned sequence, shape (batch, time, units) (zeros if unused).
        cache: the third value ``simple_rnn(..., return_cache=True)`` returned.
        dh: gradient w.r.t. the returned final state, shape (batch, units); None if unused.

    Returns:
        (dx, dkernel, drecurrent_kernel, dbias, dh0), shaped like the forward pass's arguments.
    """
    x, kernel, recurrent_kernel, hs = cache
    steps, batch, units = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    dsequence = _zeros_or(dsequence, (batch, steps, units), hs.dtype, "dsequence", "simple_rnn_backward")
    dh_next = _zeros_or(dh, (batch, units), hs.dtype, "dh", "simple_rnn_backward")
    da = np.empty_like(hs[1:])  # gradient w.r.t. each step's pre-activation x_t W + h_{t-1} U + b
    for t in reversed(range(steps)):
        da[t] = (dsequence[:, t] + dh_next) * (1 - hs[t + 1] ** 2)
        dh_next = da[t] @ recurrent_kernel.T  # through U to the previous step: where gradients fade
    da2d, xs = da.reshape(-1, units), np.swapaxes(x, 0, 1).reshape(-1, x.shape[2])
    dkernel = xs.T @ da2d  # the weights are shared by all steps, so their gradients sum over time
    drecurrent_kernel = hs[:-1].reshape(-1, units).T @ da2d
    dx = np.swapaxes(da @ kernel.T, 0, 1)
    return dx, dkernel, drecurrent_kernel, da2d.sum(axis=0), dh_next
# --8<-- [end:simple_rnn_backward]
