"""A bidirectional LSTM text classifier: each token is read in the context of both its past and its future."""

import keras

from snippets.tf_zoo.registry import register

# Tiny version: embedding 20*4 = 80; two LSTMs (forward and backward), each 4*(5*(4+5)+5) = 200,
# so 400; their final states are concatenated (2*5 = 10 features); dense 10*2+2 = 22. Total 80+400+22 = 502.
SMOKE = {
    "config": {"vocab_size": 20, "num_classes": 2, "embed_dim": 4, "units": 5},
    "input_shape": (7,),
    "num_classes": 2,
    "vocab_size": 20,
    "params": 502,
}


@register("bilstm")
def build_bilstm(vocab_size=10000, num_classes=2, embed_dim=32, units=32, dropout=0.0):
    """Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense(softmax); token 0 is padding and is masked out.

    One LSTM reads the tokens left to right, a second one right to left; the classifier sees both final
    states side by side.

    Args:
        vocab_size: number of distinct tokens (ids in ``[0, vocab_size)``, 0 = padding).
        num_classes: number of output classes.
        embed_dim: size of each token's embedding.
        units: size of each direction's LSTM state (the classifier sees 2 * units features).
        dropout: dropout rate on the LSTM inputs.

    Returns:
        An uncompiled ``keras.Model`` mapping int tokens ``(batch, time)`` to ``(batch, num_classes)``.
    """
    if units < 1 or vocab_size < 2 or num_classes < 2:
        raise ValueError(
            f"build_bilstm expects units >= 1, vocab_size >= 2 and num_classes >= 2; "
            f"received units={units}, vocab_size={vocab_size}, num_classes={num_classes}"
        )
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(inputs)
    x = keras.layers.Bidirectional(keras.layers.LSTM(units, dropout=dropout), merge_mode="concat")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="bilstm")
