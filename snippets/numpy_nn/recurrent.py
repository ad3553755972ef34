"""Recurrent layers in NumPy, one import away: simple RNN, LSTM and GRU with Keras' weight layouts.

Each forward ``f(x, kernel, recurrent_kernel, bias, ...)`` takes a Keras layer's ``get_weights()`` and returns
what the layer returns with ``return_sequences=True, return_state=True``. Each ``f_backward(dsequence, cache,
...)`` is backpropagation through time; the cache comes from ``f(..., return_cache=True)``.
The code lives in one module per cell: ``rnn.py``, ``lstm.py`` and ``gru.py``.
"""

from snippets.numpy_nn.gru import gru, gru_backward
from snippets.numpy_nn.lstm import lstm, lstm_backward
from snippets.numpy_nn.rnn import simple_rnn, simple_rnn_backward

__all__ = ["gru", "gru_backward", "lstm", "lstm_backward", "simple_rnn", "simple_rnn_backward"]
