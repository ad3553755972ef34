"""The looped dense layer and convolution compute what the vectorized versions compute."""

import numpy as np
import pytest

from snippets.numpy_nn.conv import conv2d
from snippets.numpy_nn.looped import conv2d_loops, dense_loops, dense_rows


@pytest.mark.parametrize("shape", [(1, 1, 1), (3, 5, 2), (4, 7, 6)])
def test_dense_loops_and_rows_equal_the_matrix_product(shape):
    batch, d_in, units = shape
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((batch, d_in)), rng.standard_normal((d_in, units)), rng.standard_normal(units)
    np.testing.assert_allclose(dense_loops(x, W, b), x @ W + b, rtol=1e-12)
    np.testing.assert_allclose(dense_rows(x, W, b), x @ W + b, rtol=1e-12)


@pytest.mark.parametrize("shape", [(1, 3, 1, 1, 3), (2, 6, 3, 4, 3), (1, 7, 2, 5, 2)])
def test_conv2d_loops_equals_conv2d_valid(shape):
    n, size, c_in, c_out, k = shape
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal((n, size, size, c_in)), rng.standard_normal((k, k, c_in, c_out))
    np.testing.assert_allclose(conv2d_loops(x, kernel), conv2d(x, kernel, 1, "valid"), rtol=1e-10, atol=1e-12)


def test_dense_loops_keep_the_dtype():
    x = np.ones((2, 3), dtype=np.float32)
    assert dense_loops(x, np.ones((3, 2), np.float32), np.zeros(2, np.float32)).dtype == np.float32
