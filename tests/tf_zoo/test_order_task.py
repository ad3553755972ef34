"""order_data: only the order of tokens 1 and 2 separates the labels."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.tf_zoo.order_task import order_data


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 50), st.integers(2, 12), st.integers(4, 30), st.integers(0, 2**32 - 1))
def test_one_token_1_and_one_token_2_and_the_label_says_which_comes_first(n, length, vocab_size, seed):
    x, y = order_data(n, length, vocab_size, seed)
    assert x.shape == (n, length) and x.dtype == np.int32 and y.shape == (n,)
    assert ((x == 1).sum(1) == 1).all() and ((x == 2).sum(1) == 1).all()
    assert ((x >= 3) | (x == 1) | (x == 2)).all() and (x < vocab_size).all()
    np.testing.assert_array_equal(y, (x == 1).argmax(1) < (x == 2).argmax(1))


def test_both_labels_are_equally_likely_and_reproducible():
    x, y = order_data(4000, seed=0)
    assert abs(y.mean() - 0.5) < 0.03
    np.testing.assert_array_equal(order_data(50, seed=3)[0], order_data(50, seed=3)[0])
