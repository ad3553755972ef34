"""Recurrent classifiers: the zoo's ``lstm``, ``gru`` and ``bilstm`` are this one builder."""

# --8<-- [start:build_recurrent]
import keras

CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


def build_recurrent(cell="lstm", bidirectional=False, vocab_size=10000,
                    num_classes=2, embed_dim=32, units=32, dropout=0.0,
                    input_shape=None, readout="last"):
    """A recurrent layer reads the sequence; a softmax Dense classifies it.

    Token ids are embedded first (token 0 is padding and is masked out);
    float sequences (``input_shape`` given) are read as they are.

    Args:
        cell: ``"lstm"`` or ``"gru"`` (Keras' layouts, reset_after=True).
        bidirectional: read left to right and right to left, side by side.
        vocab_size: number of distinct tokens (ids in ``[0, vocab_size)``).
        num_classes: number of output classes.
        embed_dim: size of each token's embedding.
        units: size of the recurrent state (per direction).
        dropout: dropout rate on the recurrent layer's inputs.
        input_shape: ``(time, features)`` of float sequences; None for
            tokens (then ``vocab_size`` and ``embed_dim`` are used).
        readout: ``"last"`` classifies from the final state; ``"all"``
            from the states of every step side by side (float sequences
            of a fixed length only; the MNIST-1D paper's GRU does this).

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, time)`` int tokens,
        or ``(batch, time, features)`` floats, to ``(batch, num_classes)``.
    """
    if readout not in ("last", "all") or (readout == "all"
                                           and input_shape is None):
        raise ValueError("readout must be 'last', or 'all' with an "
                         f"input_shape; received readout={readout!r}, "
                         f"input_shape={input_shape}")
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}; "
                         f"received cell={cell!r}")
    if units < 1 or num_classes < 2:
        raise ValueError("expected units >= 1 and num_classes >= 2; received "
                         f"units={units}, num_classes={num_classes}")
    if input_shape is None:
        if vocab_size < 2:
            raise ValueError(f"expected vocab_size >= 2; "
                             f"received vocab_size={vocab_size}")
        x = inputs = keras.Input(shape=(None,), dtype="int32")
        x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(x)
    elif len(input_shape) == 2:
        x = inputs = keras.Input(shape=tuple(input_shape))
    else:
        raise ValueError("expected input_shape=(time, features); "
                         f"received input_shape={input_shape}")
    layer = CELLS[cell](units, dropout=dropout,
                        return_sequences=readout == "all")
    if bidirectional:
        layer = keras.layers.Bidirectional(layer, merge_mode="concat")
    x = layer(x)
    if readout == "all":  # (batch, time, units) -> (batch, time * units)
        x = keras.layers.Flatten()(x)
    # float32 output layer: under mixed precision the softmax stays float32.
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 dtype="float32")(x)
    name = ("bi" if bidirectional else "") + cell
    return keras.Model(inputs, outputs, name=name)
# --8<-- [end:build_recurrent]


# Tiny versions for the tests, one per zoo name (registry.MODELS).
# lstm: embedding 20*4 = 80; 4 gates, each a kernel (4 -> 5), a recurrent
# kernel (5 -> 5) and a bias: 4*(5*(4+5)+5) = 200; dense 5*2+2 = 12: 292.
# gru (reset_after=True: two biases per gate): 80 + 3*(5*(4+5)+2*5) = 165,
# + 12: 257. bilstm: 80 + two LSTMs 2*200 = 400; the classifier sees both
# final states, 2*5 = 10 features: 10*2+2 = 22; total 502.
_TINY = {"vocab_size": 20, "num_classes": 2, "embed_dim": 4, "units": 5}
SMOKE = {
    name: {"config": _TINY, "input_shape": (7,), "num_classes": 2,
           "vocab_size": 20, "params": params}
    for name, params in (("lstm", 292), ("gru", 257), ("bilstm", 502))
}
