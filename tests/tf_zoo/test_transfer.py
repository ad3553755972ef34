"""Transfer learning: the new head sits on frozen features; fine-tuning unfreezes them with a smaller rate."""

import keras
import numpy as np

from snippets.tf_zoo.models.mlp import build_mlp
from snippets.tf_zoo.transfer import fine_tune, new_head


def test_new_head_freezes_the_features_and_fine_tune_then_changes_them():
    keras.utils.set_random_seed(0)
    base = build_mlp(input_shape=(6,), num_classes=3, hidden_units=(8,), dropout=0.0)
    model, features = new_head(base, num_classes=2)
    assert model.output_shape == (None, 2) and features.output_shape == (None, 8)
    assert not features.trainable
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    before = [w.copy() for w in features.get_weights()]
    histories = fine_tune(model, features, x, y, (x, y), epochs=(3, 3), lr=(1e-2, 1e-3))
    assert set(histories) == {"frozen", "unfrozen"} and len(histories["unfrozen"]["loss"]) == 3
    assert features.trainable  # the second phase unfroze them
    assert any(not np.allclose(a, b) for a, b in zip(before, features.get_weights(), strict=True))
    assert histories["unfrozen"]["loss"][-1] < histories["frozen"]["loss"][0]


def test_the_frozen_phase_leaves_the_features_alone():
    keras.utils.set_random_seed(0)
    base = build_mlp(input_shape=(6,), num_classes=3, hidden_units=(8,), dropout=0.0)
    model, features = new_head(base, num_classes=2)
    x = np.random.default_rng(1).normal(size=(32, 6)).astype("float32")
    y = (x[:, 1] > 0).astype("int32")
    before = [w.copy() for w in features.get_weights()]
    fine_tune(model, features, x, y, (x, y), epochs=(2, 0))
    for a, b in zip(before, features.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
