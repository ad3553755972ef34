"""Saliency maps (Simonyan et al., 2013): which input pixels a classifier's
prediction is most sensitive to."""

# --8<-- [start:saliency]
import numpy as np
import tensorflow as tf


def saliency(model, images):
    """|d(top class probability) / d(pixel)|, the largest over channels.

    Args:
        model: a trained classifier mapping images (batch, height, width,
            channels) to class probabilities.
        images: float32 array (batch, height, width, channels).

    Returns:
        (maps, predicted): maps (batch, height, width), predicted int
        classes (batch,).
    """
    x = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        probabilities = model(x, training=False)
        predicted = tf.argmax(probabilities, axis=-1)
        top = tf.gather(probabilities, predicted, axis=1, batch_dims=1)
    gradient = tape.gradient(top, x)
    return np.abs(gradient.numpy()).max(axis=-1), predicted.numpy()
# --8<-- [end:saliency]
