"""The CNN page's experiment: the zoo's ``cnn`` trained on scikit-learn's 8x8 digits, offline, in seconds.

The figures of ``snippets/plots/cnn.py`` (learned filters, feature maps, confusion matrix) and the saliency maps
of the research-areas page all draw from this one cached training run.
"""

from snippets.tf_zoo.datasets import digits_arrays
from snippets.tf_zoo.models.cnn import build_cnn

# isort: split
# --8<-- [start:train_digits_cnn]
import functools

import keras


@functools.cache
def train_digits_cnn(epochs=10, seed=0):
    """The zoo's ``cnn`` (16 and 32 filters) trained on the 8x8 digits.

    Cached, so several figures share one training run. Nothing is chosen
    here, so the test set is only used by the caller, once, at the end.

    Args:
        epochs: passes over the 1,437 training images.
        seed: seed of the split, the initial weights and the shuffling.

    Returns:
        (model, x_test, y_test), the images in NHWC: (360, 8, 8, 1).
    """
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(
            f"train_digits_cnn expects an int epochs >= 1; received {epochs!r}")
    keras.utils.set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = digits_arrays(seed)
    x_train, x_test = x_train.reshape(-1, 8, 8, 1), x_test.reshape(-1, 8, 8, 1)
    model = build_cnn(input_shape=(8, 8, 1), num_classes=10, filters=(16, 32),
                      dropout=0.2)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    return model, x_test, y_test
# --8<-- [end:train_digits_cnn]
