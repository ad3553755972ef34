"""The gradient-check helpers: exact on known derivatives, x restored, the error a number, clear on bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.numpy_nn.gradcheck import check_gradient, numerical_gradient, relative_error


@settings(max_examples=30, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3)))
def test_central_differences_match_known_derivatives(x):
    """Property: for a smooth function the estimate is within the O(eps^2) + rounding bound derived on the page."""
    original = x.copy()
    numeric = numerical_gradient(lambda z: np.sum(np.sin(z) * z), x)
    np.testing.assert_allclose(numeric, np.cos(original) * original + np.sin(original), atol=1e-8)
    np.testing.assert_array_equal(x, original)  # perturbed in place, then restored exactly


def test_check_gradient_returns_the_relative_error_as_a_number():
    x = np.array([0.5, -1.0, 2.0])
    err = check_gradient(lambda z: np.sum(z**3), x, 3 * x**2)
    assert isinstance(err, float) and 0 <= err < 1e-9


def test_check_gradient_fails_a_wrong_gradient_with_its_error():
    x = np.array([0.5, -1.0, 2.0])
    with pytest.raises(AssertionError, match=r"relative error \d\.\d{3}e[+-]\d+ >= 1e-06"):
        check_gradient(lambda z: np.sum(z**3), x, 2 * x**2)


def test_relative_error_scale():
    a = np.array([1.0, -2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # the floor keeps 0 / 0 away


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="float64 array; received dtype float32"):
        numerical_gradient(lambda z: z.sum(), np.ones(3, np.float32))
    with pytest.raises(ValueError, match=r"one shape; received \(2,\) and \(3,\)"):
        relative_error(np.ones(2), np.ones(3))
