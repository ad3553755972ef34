"""Saving, exporting and compressing a trained model: ``.keras``, SavedModel and quantized TFLite."""

# --8<-- [start:export]
import contextlib
import io
import pathlib
import warnings

import numpy as np
import tensorflow as tf


def export_saved_model(model, directory):
    """Export ``model``'s inference function as a TensorFlow SavedModel (for TF Serving, TFLite, TF.js)."""
    model.export(str(directory), format="tf_saved_model", verbose=False)
    return pathlib.Path(directory)


def to_tflite(model, quantization=None, representative_data=None):
    """Convert ``model`` to a TFLite flatbuffer.

    Args:
        model: a Keras model.
        quantization: None (float32), ``"dynamic"`` (int8 weights, float activations) or ``"int8"`` (int8
            weights and activations, calibrated on ``representative_data``).
        representative_data: ``(n, *input_shape)`` float32 examples, needed for ``"int8"``.

    Returns:
        The ``.tflite`` model as bytes.
    """
    if quantization not in (None, "dynamic", "int8"):
        raise ValueError(f"quantization must be None, 'dynamic' or 'int8'; received quantization={quantization!r}")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if quantization is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantization == "int8":
        if representative_data is None:
            raise ValueError("quantization='int8' needs representative_data to calibrate activation ranges")
        samples = np.asarray(representative_data, dtype="float32")
        converter.representative_dataset = lambda: ([samples[i:i + 1]] for i in range(len(samples)))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with contextlib.redirect_stdout(io.StringIO()):  # convert() prints where it saved a temporary export
        return converter.convert()


def tflite_predict(tflite_model, x):
    """Run a ``.tflite`` model (bytes) on ``x`` of shape ``(n, *input_shape)``; returns ``(n, num_classes)``."""
    with warnings.catch_warnings():  # tf.lite.Interpreter announces its move to the ai_edge_litert package
        warnings.simplefilter("ignore", UserWarning)
        interpreter = tf.lite.Interpreter(model_content=tflite_model)
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    interpreter.resize_tensor_input(inp["index"], [len(x), *np.shape(x)[1:]])
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], np.asarray(x, dtype=inp["dtype"]))
    interpreter.invoke()
    return interpreter.get_tensor(out["index"])
# --8<-- [end:export]


# --8<-- [start:compare]
import numpy as np


def compression_report(model, x_test, y_test, representative_data):
    """Size in bytes and test accuracy of the float model and of its TFLite versions.

    Returns:
        ``{"keras float32": (bytes, acc), "tflite float32": ..., "tflite dynamic": ..., "tflite int8": ...}``.
    """
    weights = sum(int(np.prod(w.shape)) * 4 for w in model.weights)
    report = {"keras float32": (weights, float(np.mean(model.predict(x_test, verbose=0).argmax(-1) == y_test)))}
    for quantization in (None, "dynamic", "int8"):
        flat = to_tflite(model, quantization, representative_data)
        accuracy = float(np.mean(tflite_predict(flat, x_test).argmax(-1) == y_test))
        report[f"tflite {quantization or 'float32'}"] = (len(flat), accuracy)
    return report
# --8<-- [end:compare]
