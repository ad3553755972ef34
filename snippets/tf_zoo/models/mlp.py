"""The article's multi-layer perceptron: Dense(128, relu), Dropout(0.2), Dense(64, relu), Dense(10, softmax)."""

# --8<-- [start:build_mlp]
import keras


def build_mlp(input_shape=(784,), num_classes=10, hidden_units=(128, 64),
              dropout=0.2, activation="relu", l1=0.0, l2=0.0):
    """A fully connected classifier: by default the article's network.

    The defaults are exactly its 784-128-dropout-64-10 network; with
    ``hidden_units=()`` it is logistic regression (one softmax Dense).

    Args:
        input_shape: shape of one example; anything but ``(features,)`` is
            flattened first.
        num_classes: number of output classes.
        hidden_units: width of each hidden layer.
        dropout: dropout rate after every hidden layer but the last (the
            article's single Dropout(0.2)).
        activation: activation of the hidden layers.
        l1, l2: L1/L2 penalty on the hidden and output kernels (0: off).

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, *input_shape)`` to
        probabilities ``(batch, num_classes)``.
    """
    if any(units < 1 for units in hidden_units):
        raise ValueError("hidden_units must be positive layer widths; "
                         f"received hidden_units={hidden_units}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError("dropout must be in [0, 1); "
                         f"received dropout={dropout}")
    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    x = inputs = keras.Input(shape=tuple(input_shape))
    if len(input_shape) > 1:
        x = keras.layers.Flatten()(x)
    for i, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation,
                               kernel_regularizer=regularizer)(x)
        if dropout and i < len(hidden_units) - 1:
            x = keras.layers.Dropout(dropout)(x)
    # float32 output layer: under mixed precision the softmax and the loss
    # stay in float32.
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 kernel_regularizer=regularizer,
                                 dtype="float32")(x)
    return keras.Model(inputs, outputs, name="mlp")
# --8<-- [end:build_mlp]


# Tiny version for the tests: 20*8+8 + 8*4+4 + 4*3+3 = 168 + 36 + 15 = 219 parameters.
SMOKE = {
    "config": {"input_shape": (20,), "num_classes": 3, "hidden_units": (8, 4)},
    "input_shape": (20,),
    "num_classes": 3,
    "params": 219,
}
