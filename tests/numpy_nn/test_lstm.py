"""lstm / lstm_backward (gates i, f, c, o) against keras.layers.LSTM, tf.GradientTape and central
differences; hostile inputs. The checks themselves are written once, in recurrent_cases.py."""

import keras
import pytest

from snippets.numpy_nn.lstm import lstm, lstm_backward
from tests.numpy_nn import recurrent_cases as cases

CELL = cases.Cell("lstm", keras.layers.LSTM, lstm, lstm_backward, states=("h0", "c0"))
INPUTS = ["x", "kernel", "recurrent_kernel", "bias", *CELL.states]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("with_states", [False, True])
def test_forward_matches_keras_layer(dtype, with_states):
    cases.forward_matches_keras(CELL, dtype, with_states)


def test_backward_matches_gradient_tape():
    cases.backward_matches_tape(CELL)


@pytest.mark.parametrize("output", [1, 2], ids=['h', 'c'])
@pytest.mark.parametrize("wrt", range(len(INPUTS)), ids=INPUTS)
def test_state_gradients_match_central_differences(output, wrt):
    cases.state_gradient_matches_central_differences(CELL, output, wrt)


def test_unused_outputs_have_no_gradient():
    cases.unused_outputs_have_no_gradient(CELL)


def test_last_step_gradient_reaches_first_step():
    cases.last_step_gradient_reaches_first_step(CELL)


def test_extreme_inputs_stay_finite_and_saturate():
    cases.extreme_inputs_stay_finite(CELL)


def test_rejects_bad_inputs():
    cases.rejects_bad_inputs(CELL)


@pytest.mark.parametrize("where", [*INPUTS, "dsequence"])
def test_rejects_nan_and_inf(where):
    cases.rejects_nan(CELL, where)


def test_splitting_a_sequence_changes_nothing():
    cases.splitting_a_sequence_property(CELL)
