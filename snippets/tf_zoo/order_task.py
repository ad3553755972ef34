"""A task whose answer depends only on token order: does token 1 come before
token 2? A model that sees its tokens as a set is at chance on it."""

# --8<-- [start:order_data]
import numpy as np


def order_data(n, length=8, vocab_size=20, seed=0):
    """Sequences holding token 1 and token 2 once each, at random places,
    among random filler tokens 3 .. vocab_size - 1.

    Both labels have the same tokens in the same numbers: only where
    tokens 1 and 2 stand tells them apart.

    Args:
        n: number of sequences; length: tokens per sequence (>= 2).
        vocab_size: number of distinct tokens (> 3).
        seed: seed of the generator.

    Returns:
        (x, y): int32 tokens (n, length); y = 1 where token 1 comes first.
    """
    rng = np.random.default_rng(seed)
    x = rng.integers(3, vocab_size, size=(n, length))
    first, second = np.argsort(rng.random((n, length)), axis=1)[:, :2].T
    rows = np.arange(n)
    x[rows, first], x[rows, second] = 1, 2
    return x.astype(np.int32), (first < second).astype(np.int32)
# --8<-- [end:order_data]
