"""Saving, SavedModel export, TFLite conversion and quantization, and transfer learning on digits."""

import keras
import numpy as np
import pytest

from snippets.tf_zoo import datasets
from snippets.tf_zoo.export import compression_report, export_saved_model, tflite_predict, to_tflite
from snippets.tf_zoo.train import train
from snippets.tf_zoo.transfer import fine_tune, new_head


@pytest.fixture(scope="module")
def digits_model():
    (x_train, y_train), (x_test, y_test) = datasets.digits_arrays()
    result = train("mlp", (x_train, y_train), epochs=15, hidden_units=(32, 16), lr=3e-3)
    return result.model, x_train, x_test, y_test


@pytest.fixture(scope="module")
def float_flatbuffer(digits_model):
    """The float32 TFLite conversion of the digits model, converted once for the tests that only run it (a
    conversion takes about a second); the int8 tests convert afresh, as they test the conversion itself."""
    return to_tflite(digits_model[0])


def test_quantized_tflite_within_two_points_of_float(digits_model):
    model, x_train, x_test, y_test = digits_model
    report = compression_report(model, x_test, y_test, x_train[:100])
    float_bytes, float_acc = report["keras float32"]
    assert float_acc > 0.85
    assert report["tflite float32"][1] == pytest.approx(float_acc, abs=1e-9)
    for name in ("tflite dynamic", "tflite int8"):
        size, acc = report[name]
        assert abs(acc - float_acc) <= 0.02, (name, acc, float_acc)
        assert size < report["tflite float32"][0]  # int8 weights are 4x smaller than float32


def test_tflite_matches_keras_probabilities(digits_model, float_flatbuffer):
    model, _, x_test, _ = digits_model
    flat = float_flatbuffer
    np.testing.assert_allclose(tflite_predict(flat, x_test[:10]), model.predict(x_test[:10], verbose=0),
                               rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="representative_data"):
        to_tflite(model, "int8")
    with pytest.raises(ValueError, match="quantization"):
        to_tflite(model, "int4")


def test_wrong_input_shapes_are_named(digits_model, float_flatbuffer):
    model, x_train, x_test, _ = digits_model
    with pytest.raises(ValueError, match=r"representative_data expects inputs of shape \(n, 64\); "
                                         r"received shape \(10, 8, 8\)"):
        to_tflite(model, "int8", x_train[:10].reshape(10, 8, 8))
    with pytest.raises(ValueError, match=r"representative_data expects at least one example"):
        to_tflite(model, "int8", x_train[:0])
    flat = float_flatbuffer
    with pytest.raises(ValueError, match=r"tflite_predict expects inputs of shape \(n, 64\); "
                                         r"received shape \(3, 32\)"):
        tflite_predict(flat, x_test[:3, :32])
    with pytest.raises(ValueError, match=r"received shape \(64,\)"):
        tflite_predict(flat, x_test[0])
    with pytest.raises(ValueError, match="all finite"):
        tflite_predict(flat, np.full((2, 64), np.nan))


def test_int8_conversion_warns_nothing(digits_model):
    import warnings

    model, x_train, _, _ = digits_model
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(to_tflite(model, "int8", x_train[:20])) > 0


def test_saved_model_serves_the_same_predictions(digits_model, tmp_path):
    import tensorflow as tf

    model, _, x_test, _ = digits_model
    export_saved_model(model, tmp_path / "sm")
    served = tf.saved_model.load(str(tmp_path / "sm"))
    np.testing.assert_allclose(served.serve(x_test[:5]).numpy(), model.predict(x_test[:5], verbose=0), rtol=1e-5)
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(ValueError, match="export_saved_model expects a directory path; received .*an existing file"):
        export_saved_model(model, tmp_path / "file")


def test_transfer_learning_freezes_then_unfreezes(tmp_path):
    (x, y), (x_test, y_test) = datasets.digits_arrays()
    old = y < 5
    base = train("mlp", (x[old], y[old]), epochs=5, hidden_units=(32, 16), output=tmp_path).model
    base = keras.models.load_model(tmp_path / "mlp.keras")
    model, features = new_head(base, num_classes=5)
    assert not features.trainable and model.output_shape == (None, 5)
    frozen_before = [w.copy() for w in features.get_weights()]
    new, new_test = y >= 5, y_test >= 5
    histories = fine_tune(model, features, x[new][:200], y[new][:200] - 5,
                          (x_test[new_test], y_test[new_test] - 5), epochs=(10, 3), lr=(3e-2, 1e-3))
    assert histories["frozen"]["loss"][-1] < histories["frozen"]["loss"][0]
    assert histories["unfrozen"]["val_accuracy"][-1] > 0.5  # chance is 0.2
    assert features.trainable
    assert any(not np.allclose(a, b) for a, b in zip(frozen_before, features.get_weights(), strict=True))
