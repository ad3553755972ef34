"""A text classifier: token embedding, one GRU layer, softmax over classes."""

import keras

from snippets.tf_zoo.registry import register

# Tiny version: embedding 20*4 = 80; GRU (Keras' reset_after=True) has 3 gates, each with a kernel
# (4 -> 5), a recurrent kernel (5 -> 5) and two biases: 3*(5*(4+5)+2*5) = 165; dense 5*2+2 = 12.
# Total 80 + 165 + 12 = 257.
SMOKE = {
    "config": {"vocab_size": 20, "num_classes": 2, "embed_dim": 4, "units": 5},
    "input_shape": (7,),
    "num_classes": 2,
    "vocab_size": 20,
    "params": 257,
}


@register("gru")
def build_gru(vocab_size=10000, num_classes=2, embed_dim=32, units=32, dropout=0.0):
    """Embedding(mask_zero) -> GRU -> Dense(softmax); token 0 is padding and is masked out.

    Args:
        vocab_size: number of distinct tokens (ids in ``[0, vocab_size)``, 0 = padding).
        num_classes: number of output classes.
        embed_dim: size of each token's embedding.
        units: size of the GRU state.
        dropout: dropout rate on the GRU inputs.

    Returns:
        An uncompiled ``keras.Model`` mapping int tokens ``(batch, time)`` to ``(batch, num_classes)``.
    """
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(inputs)
    x = keras.layers.GRU(units, dropout=dropout)(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="gru")
