"""keras_weights and gradient_norms: the vanishing-gradient measurement of the recurrent-networks page."""

import keras
import numpy as np

from snippets.numpy_nn.gradient_flow import gradient_norms, keras_weights
from snippets.numpy_nn.recurrent import lstm, lstm_backward, simple_rnn, simple_rnn_backward


def test_keras_weights_are_a_fresh_layers_initial_weights():
    kernel, recurrent_kernel, bias = keras_weights(keras.layers.LSTM, features=3, units=4)
    assert kernel.shape == (3, 16) and recurrent_kernel.shape == (4, 16) and kernel.dtype == np.float64
    np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])  # unit_forget_bias
    # Keras' orthogonal initializer on the whole (units, 4 * units) matrix: orthonormal rows
    np.testing.assert_allclose(recurrent_kernel @ recurrent_kernel.T, np.eye(4), atol=1e-6)
    np.testing.assert_array_equal(keras_weights(keras.layers.LSTM, 3, 4)[0], kernel)  # seeded


def test_the_simple_rnns_gradient_fades_and_the_lstms_less():
    rnn = gradient_norms(simple_rnn, simple_rnn_backward, keras_weights(keras.layers.SimpleRNN), steps=30)
    gated = gradient_norms(lstm, lstm_backward, keras_weights(keras.layers.LSTM), steps=30)
    assert rnn.shape == gated.shape == (30,) and np.all(rnn > 0)
    assert rnn[0] / rnn[-1] < 1e-4 and gated[0] / gated[-1] > rnn[0] / rnn[-1]
