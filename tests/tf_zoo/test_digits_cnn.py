"""train_digits_cnn: the CNN page's training run, shared by its figures."""

import pytest

from snippets.tf_zoo.digits_cnn import train_digits_cnn


def test_trains_the_zoo_cnn_on_the_digits_and_caches_the_run():
    model, x_test, y_test = train_digits_cnn(epochs=3, seed=1)
    assert model.name == "cnn" and model.input_shape == (None, 8, 8, 1)
    assert x_test.shape == (360, 8, 8, 1) and y_test.shape == (360,)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.7, accuracy  # chance is 0.1; the page's 10 epochs reach about 0.97
    assert train_digits_cnn(epochs=3, seed=1)[0] is model


@pytest.mark.parametrize("epochs", [0, -1, 2.0, True, None])
def test_rejects_epochs_that_are_not_positive_ints(epochs):
    with pytest.raises(ValueError, match=rf"train_digits_cnn expects an int epochs >= 1; received {epochs!r}"):
        train_digits_cnn(epochs)
