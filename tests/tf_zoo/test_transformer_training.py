"""train_transformer and attention_inputs on tiny data."""

import numpy as np

from snippets.tf_zoo.order_task import order_data
from snippets.tf_zoo.transformer_training import attention_inputs, train_transformer


def test_trains_on_order_and_hands_the_first_attention_layer_its_inputs():
    x, y = order_data(400, length=5, vocab_size=8, seed=0)
    model = train_transformer(x, y, vocab_size=8, epochs=2)
    assert model.output_shape == (None, 2)
    tokens = x[:3].copy()
    tokens[0, 3:] = 0  # padding
    embedded, mask = attention_inputs(model, tokens)
    assert embedded.shape == (3, 5, 16)
    assert not mask[0, 3:].any() and not mask[0, :, 3:].any() and mask[1:].all()


def test_without_positions_the_trained_model_cannot_tell_the_order():
    """Attention and average pooling are permutation-invariant: a reordered sequence gets the same answer."""
    x, y = order_data(200, length=6, vocab_size=8, seed=1)
    model = train_transformer(x, y, vocab_size=8, epochs=1, positions=False)
    reordered = x[:, ::-1]
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(reordered, verbose=0), atol=1e-5)
