"""A 1-D convolutional classifier for float sequences such as MNIST-1D's.

The zoo's ``cnn`` builds it for ``sequence`` inputs (``registry.MODELS``), so ``train("cnn", "mnist1d")``
trains a network sized for 40 time steps of one feature.
"""

# --8<-- [start:build_cnn1d]
import keras


def build_cnn1d(input_shape=(40, 1), num_classes=10, filters=(25, 25, 25),
                kernel_sizes=(5, 3, 3), dropout=0.0):
    """Conv1D(relu, stride 2, 'same') blocks, then Flatten and a softmax Dense.

    Each block halves the length: 40 -> 20 -> 10 -> 5 with the defaults,
    the MNIST-1D paper's CNN (25 channels; kernels of 5, 3 and 3).
    Parameters: (5*1*25+25) + 2*(3*25*25+25) + (5*25)*10+10
    = 150 + 3,800 + 1,260 = 5,210.

    Args:
        input_shape: ``(time, features)`` of one sequence.
        num_classes: number of output classes.
        filters: number of filters of each convolutional block.
        kernel_sizes: width of each block's kernels, in time steps.
        dropout: dropout rate before the classifier.

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, time, features)`` to
        ``(batch, num_classes)``.
    """
    if len(input_shape) != 2:
        raise ValueError("cnn1d expects input_shape=(time, features); "
                         f"received input_shape={input_shape}")
    if len(kernel_sizes) != len(filters):
        raise ValueError("expected one kernel size per block; received "
                         f"filters={filters}, kernel_sizes={kernel_sizes}")
    x = inputs = keras.Input(shape=tuple(input_shape))
    for n, k in zip(filters, kernel_sizes, strict=True):
        x = keras.layers.Conv1D(n, k, strides=2, padding="same",
                                activation="relu")(x)
    x = keras.layers.Flatten()(x)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    # float32 output layer: under mixed precision the softmax stays float32.
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 dtype="float32")(x)
    return keras.Model(inputs, outputs, name="cnn1d")
# --8<-- [end:build_cnn1d]


# Tiny version: conv 3*1*4+4 = 16, conv 3*4*4+4 = 52; two stride-2 blocks
# take 8 steps to 2, so the classifier sees 2*4 = 8 features: 8*3+3 = 27.
# Total 16 + 52 + 27 = 95.
SMOKE = {
    "config": {"input_shape": (8, 1), "num_classes": 3, "filters": (4, 4),
               "kernel_sizes": (3, 3)},
    "input_shape": (8, 1),
    "num_classes": 3,
    "params": 95,
}
