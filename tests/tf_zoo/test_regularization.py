"""The overfitting page's Keras variants: one remedy each, trained on the validation split, and the gap's sign."""

import keras
import numpy as np
import pytest

from snippets.tf_zoo.regularization import REMEDIES, augmenter, gap, overfit_variant, train_variant


def tiny_data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 64)).astype("float32")
    return x, (x[:, :4].argmax(axis=1)).astype("int32")


def test_gap_is_training_minus_validation_at_the_best_validation_epoch():
    history = {"accuracy": [0.6, 0.9, 1.0], "val_accuracy": [0.5, 0.8, 0.7]}
    assert gap(history) == pytest.approx(0.9 - 0.8)  # epoch 2 is best on validation
    assert gap({"accuracy": [0.6], "val_accuracy": [0.8]}) == pytest.approx(-0.2)


@pytest.mark.parametrize("name", REMEDIES)
def test_every_variant_is_the_same_mlp_with_one_remedy(name):
    model, callbacks = overfit_variant(name, num_features=64, num_classes=10, width=256)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [256, 256, 10]
    assert model.count_params() == 85_002  # the page's count
    penalties = {type(layer.kernel_regularizer).__name__ for layer in dense}
    assert penalties == {{"l2": "L2", "l1": "L1"}.get(name, "NoneType")}
    dropouts = [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert dropouts == ([0.5, 0.5] if name == "dropout" else [])
    assert [type(c).__name__ for c in callbacks] == (["EarlyStopping"] if name == "early stopping" else [])


def test_unknown_remedy_is_rejected_with_what_was_expected():
    with pytest.raises(ValueError, match=r"expects name in .*received 'weight decay'"):
        overfit_variant("weight decay")


def test_augmentation_changes_digits_only_in_training():
    x = np.zeros((4, 64), "float32")
    x[:, 27:29] = 1.0
    aug = augmenter(seed=0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(aug(x, training=False)), x)
    assert not np.allclose(keras.ops.convert_to_numpy(aug(x, training=True)), x)


def test_training_records_validation_every_epoch_and_learns():
    x, y = tiny_data()
    model, h = train_variant("none", x, y, x[:16], y[:16], epochs=4, batch_size=8, width=16)
    assert set(h) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(h["val_accuracy"]) == 4
    assert h["loss"][-1] < h["loss"][0]
    assert model.output_shape == (None, 4)


def test_early_stopping_restores_the_best_weights():
    x, y = tiny_data()
    # Full batch (one step per epoch, a third of the CPU of batches of 8): restoring concerns which epoch was best,
    # not how many steps each took. Here it stops after 8 epochs, the best being the 5th.
    model, h = train_variant("early stopping", x, y, x[:16], y[:16], epochs=30, batch_size=48, width=16, lr=0.05)
    assert len(h["loss"]) < 30  # it stopped early
    assert int(np.argmin(h["val_loss"])) < len(h["val_loss"]) - 1  # the last epoch was not the best: restored
    val_loss = float(model.evaluate(x[:16], y[:16], verbose=0)[0])
    assert val_loss == pytest.approx(min(h["val_loss"]), rel=1e-4)
