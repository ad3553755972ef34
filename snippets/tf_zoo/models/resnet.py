"""A small residual network: stages of two-convolution blocks with batch normalization and skip connections."""

# --8<-- [start:residual_block]
import keras


def conv_bn(x, filters, kernel_size, strides=1):
    """Conv2D ('same' padding, no bias: BN's beta replaces it), then BN."""
    x = keras.layers.Conv2D(filters, kernel_size, strides=strides,
                            padding="same", use_bias=False)(x)
    return keras.layers.BatchNormalization()(x)


def residual_block(x, filters, strides=1):
    """y = relu(F(x) + shortcut(x)) with F = conv-BN-relu-conv-BN; the
    shortcut is a 1x1 conv-BN when the shape changes, else the identity.

    Args:
        x: a ``(batch, height, width, channels)`` Keras tensor.
        filters: channels of the output; strides: 2 halves the size.

    Returns:
        A Keras tensor of shape ``(batch, height / strides,
        width / strides, filters)``.
    """
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = conv_bn(x, filters, 1, strides)
    y = keras.layers.Activation("relu")(conv_bn(x, filters, 3, strides))
    y = conv_bn(y, filters, 3)
    return keras.layers.Activation("relu")(keras.layers.Add()([y, shortcut]))
# --8<-- [end:residual_block]

def build_resnet(input_shape=(32, 32, 3), num_classes=10, filters=(16, 32, 64), blocks_per_stage=1):
    """Conv-BN-relu stem, one stage of residual blocks per entry of ``filters`` (each but the first halves
    the resolution), global average pooling and a softmax Dense.

    Args:
        input_shape: ``(height, width, channels)`` of one image (NHWC).
        num_classes: number of output classes.
        filters: channels of each stage.
        blocks_per_stage: residual blocks per stage.

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, height, width, channels)`` to ``(batch, num_classes)``.
    """
    if len(input_shape) != 3:
        raise ValueError(
            f"resnet expects input_shape=(height, width, channels); received input_shape={input_shape}")
    x = inputs = keras.Input(shape=tuple(input_shape))
    x = keras.layers.Activation("relu")(conv_bn(x, filters[0], 3))
    for stage, n in enumerate(filters):
        for block in range(blocks_per_stage):
            x = residual_block(x, n, strides=2 if stage > 0 and block == 0 else 1)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="resnet")


# Tiny version on 8x8x3 with filters (4, 8); BatchNormalization holds 4 numbers per channel (gamma, beta,
# moving mean, moving variance) and the convolutions have no bias (BN's beta replaces it).
#   stem:    conv 3*3*3*4 = 108, BN 4*4 = 16                                   -> 124
#   stage 1: conv 3*3*4*4 = 144, BN 16, conv 144, BN 16 (identity shortcut)    -> 320
#   stage 2: conv 3*3*4*8 = 288, BN 32, conv 3*3*8*8 = 576, BN 32,
#            projection shortcut conv 1*1*4*8 = 32, BN 32                      -> 992
#   head:    dense 8*3+3 = 27
# Total 124 + 320 + 992 + 27 = 1463.
SMOKE = {
    "config": {"input_shape": (8, 8, 3), "num_classes": 3, "filters": (4, 8)},
    "input_shape": (8, 8, 3),
    "num_classes": 3,
    "params": 1463,
}
