"""A small convolutional classifier in the style of keras-io's MNIST convnet."""

# Tiny version: conv 3*3*1*4+4 = 40, conv 3*3*4*8+8 = 296; 'same' padding and two 2x2 pools take
# 8x8 to 2x2, so the classifier sees 2*2*8 = 32 features: 32*3+3 = 99. Total 40 + 296 + 99 = 435.
SMOKE = {
    "config": {"input_shape": (8, 8, 1), "num_classes": 3, "filters": (4, 8)},
    "input_shape": (8, 8, 1),
    "num_classes": 3,
    "params": 435,
}


# --8<-- [start:build_cnn]
import keras


def build_cnn(input_shape=(28, 28, 1), num_classes=10, filters=(32, 64),
              kernel_size=3, dropout=0.5):
    """Blocks of Conv2D(relu, 'same') + MaxPooling2D(2), then Flatten,
    Dropout and a softmax Dense.

    With the defaults on 28x28x1: 320 + 18,496 + (7*7*64)*10+10 = 50,186
    parameters.

    Args:
        input_shape: ``(height, width, channels)`` of one image (NHWC).
        num_classes: number of output classes.
        filters: number of filters of each convolutional block.
        kernel_size: side of the square kernels.
        dropout: dropout rate before the classifier.

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, height, width,
        channels)`` to ``(batch, num_classes)``.
    """
    if len(input_shape) != 3:
        raise ValueError("cnn expects input_shape=(height, width, channels); "
                         f"received input_shape={input_shape}")
    smallest = 2 ** len(filters)  # each block halves height and width
    if min(input_shape[:2]) < smallest or num_classes < 2:
        raise ValueError(
            f"cnn expects images of at least {smallest}x{smallest} pixels for "
            f"{len(filters)} pooling blocks and num_classes >= 2; received "
            f"input_shape={input_shape}, num_classes={num_classes}")
    x = inputs = keras.Input(shape=tuple(input_shape))
    for n in filters:
        x = keras.layers.Conv2D(n, kernel_size, padding="same",
                                activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Flatten()(x)
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 dtype="float32")(x)
    return keras.Model(inputs, outputs, name="cnn")
# --8<-- [end:build_cnn]
