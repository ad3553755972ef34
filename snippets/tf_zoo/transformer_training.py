"""The transformer page's experiments: the zoo transformer trained on token
sequences, and what its first attention layer sees."""

from snippets.tf_zoo.models.transformer import PositionEmbedding, build_transformer

# isort: split
# --8<-- [start:train_transformer]
import keras
import numpy as np


def train_transformer(x, y, vocab_size, epochs=6, seed=0, **config):
    """The zoo transformer (embed_dim 16, 2 heads) trained on int tokens.

    Args:
        x: int tokens (n, time), 0 = padding; y: int labels (n,).
        vocab_size: number of distinct tokens.
        epochs: passes over the data; seed: initial weights and shuffling.
        config: more arguments of ``build_transformer``.

    Returns:
        The trained ``keras.Model``.
    """
    keras.utils.set_random_seed(seed)
    config = {"embed_dim": 16, "num_heads": 2, "ff_dim": 32, **config}
    model = build_transformer(vocab_size=vocab_size,
                              num_classes=int(np.max(y)) + 1,
                              sequence_length=x.shape[1], **config)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def attention_inputs(model, tokens):
    """What the first attention layer sees for int tokens (batch, time):
    the embedded tokens and the padding mask (batch, query, key)."""
    position = next(layer for layer in model.layers
                    if isinstance(layer, PositionEmbedding))
    embedded = keras.Model(model.input, position.output)(tokens)
    valid = np.asarray(tokens) != 0  # pads neither attend nor are attended
    mask = valid[:, :, None] & valid[:, None, :]
    return keras.ops.convert_to_numpy(embedded), mask
# --8<-- [end:train_transformer]
