"""How much gradient reaches each time step of a recurrent layer: the
vanishing-gradient measurement of the recurrent-networks page."""

# --8<-- [start:keras_weights]
def keras_weights(layer_class, features=16, units=32, seed=0):
    """The weights a fresh Keras recurrent layer starts from, as float64.

    Args:
        layer_class: ``keras.layers.SimpleRNN``, ``LSTM`` or ``GRU``.
        features, units: the input width and the state width.
        seed: Keras' random seed for the initializers.

    Returns:
        The layer's ``get_weights()``: [kernel, recurrent_kernel, bias].
    """
    import keras

    keras.utils.set_random_seed(seed)
    layer = layer_class(units)
    layer.build((None, None, features))
    return [w.astype("float64") for w in layer.get_weights()]
# --8<-- [end:keras_weights]


# --8<-- [start:gradient_norms]
import numpy as np


def gradient_norms(forward, backward, weights, steps=50, batch=32, seed=0):
    """Mean norm of dL/dx_t for every step t, when the loss only looks at
    the last output.

    Args:
        forward, backward: a recurrent layer's passes, e.g. ``lstm`` and
            ``lstm_backward``.
        weights: its [kernel, recurrent_kernel, bias].
        steps, batch: the length and number of the random input sequences.
        seed: seeds the inputs and the loss's random direction.

    Returns:
        Array (steps,): how much each input still matters to the last step.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, steps, weights[0].shape[0]))
    sequence, *_, cache = forward(x, *weights, return_cache=True)
    dsequence = np.zeros_like(sequence)
    dsequence[:, -1] = rng.standard_normal(sequence[:, -1].shape)
    dx = backward(dsequence, cache)[0]
    return np.linalg.norm(dx, axis=2).mean(axis=0)
# --8<-- [end:gradient_norms]
