"""A small transformer encoder (Vaswani et al., 2017) that classifies token sequences."""

# --8<-- [start:position]
import keras


@keras.saving.register_keras_serializable(package="zoo")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learned vector per position to token embeddings (batch, time,
    embed_dim), for time <= sequence_length."""

    def __init__(self, sequence_length, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(sequence_length, int) or sequence_length < 1:
            raise ValueError("PositionEmbedding expects a positive integer "
                             f"sequence_length; received {sequence_length}")
        self.sequence_length = sequence_length
        self.supports_masking = True  # the padding mask passes through

    def build(self, input_shape):
        self.positions = self.add_weight(
            shape=(self.sequence_length, input_shape[-1]),
            initializer="glorot_uniform", name="positions")

    def call(self, x):
        time = keras.ops.shape(x)[1]
        if isinstance(time, int) and time > self.sequence_length:
            raise ValueError(
                f"PositionEmbedding expects at most {self.sequence_length} "
                f"positions; received a sequence of {time}")
        return x + keras.ops.cast(self.positions[:time], x.dtype)

    def get_config(self):
        return {**super().get_config(),
                "sequence_length": self.sequence_length}
# --8<-- [end:position]

# Tiny version (vocab 20, embed_dim 4, 2 heads of key_dim 2, ff_dim 8, sequence_length 7): token embedding
# 20*4 = 80; positions 7*4 = 28; attention: query/key/value kernels 4*2*2 = 16 + biases 2*2 = 4, three
# times = 60, output 2*2*4+4 = 20 -> 80; two LayerNorms 2*(4+4) = 16; feed-forward 4*8+8 = 40 and
# 8*4+4 = 36; classifier 4*2+2 = 10. Total 80 + 28 + 80 + 16 + 40 + 36 + 10 = 290.
SMOKE = {
    "config": {"vocab_size": 20, "num_classes": 2, "sequence_length": 7, "embed_dim": 4, "num_heads": 2, "ff_dim": 8},
    "input_shape": (7,),
    "num_classes": 2,
    "vocab_size": 20,
    "params": 290,
}


# --8<-- [start:model]
import keras


def build_transformer(vocab_size=10000, num_classes=2, sequence_length=200,
                      embed_dim=32, num_heads=2, ff_dim=64, num_layers=1,
                      dropout=0.0, positions=True):
    """Token and position embeddings, encoder blocks (self-attention, then
    feed-forward), average pooling, softmax.

    Each block is post-norm as in the original paper:
    x = LayerNorm(x + MultiHeadAttention(x, x)), then
    x = LayerNorm(x + Dense(Dense(x, relu))). Token 0 is padding: the
    embedding's mask keeps attention and pooling away from it.

    Args:
        vocab_size: number of distinct tokens (ids in [0, vocab_size)).
        num_classes: number of output classes.
        sequence_length: the longest sequence the position embedding covers.
        embed_dim: width of every token vector; divisible by num_heads.
        num_heads: attention heads, each of key_dim embed_dim // num_heads.
        ff_dim: hidden width of each feed-forward block.
        num_layers: encoder blocks.
        dropout: rate on the attention weights and after each sub-layer.
        positions: add the position embedding; without it the model sees
            the tokens as a set and cannot tell their order.

    Returns:
        An uncompiled ``keras.Model`` mapping int tokens (batch, time) to
        (batch, num_classes); its attention layers are named
        ``attention_0``, ``attention_1``, ...
    """
    if embed_dim % num_heads:
        raise ValueError(
            "transformer expects embed_dim divisible by num_heads; received "
            f"embed_dim={embed_dim}, num_heads={num_heads}")
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, embed_dim, mask_zero=True)(tokens)
    if positions:
        x = PositionEmbedding(sequence_length)(x)
    for i in range(num_layers):
        attention = keras.layers.MultiHeadAttention(
            num_heads, embed_dim // num_heads, dropout=dropout,
            name=f"attention_{i}")(x, x)
        if dropout:
            attention = keras.layers.Dropout(dropout)(attention)
        x = keras.layers.Add()([x, attention])
        x = keras.layers.LayerNormalization()(x)
        hidden = keras.layers.Dense(ff_dim, activation="relu")(x)
        hidden = keras.layers.Dense(embed_dim)(hidden)
        if dropout:
            hidden = keras.layers.Dropout(dropout)(hidden)
        x = keras.layers.Add()([x, hidden])
        x = keras.layers.LayerNormalization()(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 dtype="float32")(x)
    return keras.Model(tokens, outputs, name="transformer")
# --8<-- [end:model]
