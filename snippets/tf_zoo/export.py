"""Saving, exporting and compressing a trained model: ``.keras``, SavedModel and quantized TFLite."""

# --8<-- [start:export]
import contextlib
import io
import pathlib
import warnings

import keras
import numpy as np
import tensorflow as tf


def export_saved_model(model, directory):
    """Export ``model``'s inference function as a TensorFlow SavedModel
    (for TF Serving, TFLite, TF.js) into ``directory``."""
    if not isinstance(model, keras.Model):
        raise ValueError("export_saved_model expects a keras.Model; "
                         f"received {type(model).__name__}")
    directory = pathlib.Path(directory)
    for path in (directory, *directory.parents):  # the first that exists
        if path.exists():
            if not path.is_dir():
                what = ("an existing file" if path == directory
                        else f"under the file {str(path)!r}")
                raise ValueError("export_saved_model expects a directory "
                                 f"path; received {str(directory)!r}, "
                                 f"{what}")
            break
    model.export(str(directory), format="tf_saved_model", verbose=False)
    return directory


def check_inputs(x, input_shape, what):
    """``x`` as float32 of shape ``(n, *input_shape)``, else a ValueError."""
    x = np.asarray(x)
    if x.dtype.kind not in "iubf":
        raise ValueError(f"{what} expects real numbers; "
                         f"received dtype {x.dtype}")
    x = x.astype("float32")
    shape = tuple(input_shape)
    fits = x.ndim == len(shape) + 1 and all(
        s is None or s == r for s, r in zip(shape, x.shape[1:], strict=True))
    if not fits:
        raise ValueError(f"{what} expects inputs of shape (n, "
                         f"{', '.join(str(s) for s in shape)}); "
                         f"received shape {x.shape}")
    if x.shape[0] == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"{what} expects at least one example, all "
                         f"finite; received {x.shape[0]} examples")
    return x


def to_tflite(model, quantization=None, representative_data=None):
    """Convert ``model`` to a TFLite flatbuffer.

    Args:
        model: a Keras model.
        quantization: None (float32), ``"dynamic"`` (int8 weights, float
            activations) or ``"int8"`` (int8 weights and activations,
            calibrated on ``representative_data``).
        representative_data: ``(n, *input_shape)`` examples, for ``"int8"``.

    Returns:
        The ``.tflite`` model as bytes.
    """
    if not isinstance(model, keras.Model):
        raise ValueError("to_tflite expects a keras.Model; "
                         f"received {type(model).__name__}")
    if quantization not in (None, "dynamic", "int8"):
        raise ValueError("quantization must be None, 'dynamic' or 'int8'; "
                         f"received quantization={quantization!r}")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if quantization is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantization == "int8":
        if representative_data is None:
            raise ValueError("quantization='int8' needs representative_data "
                             "to calibrate activation ranges")
        x = check_inputs(representative_data, model.input_shape[1:],
                         "representative_data")
        converter.representative_dataset = lambda: ([x[i:i + 1]]
                                                     for i in range(len(x)))
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    # convert() prints where it saved a temporary export, and warns that
    # int8 with float inputs and outputs has no input statistics (expected).
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Statistics for quantized inputs")
        return converter.convert()


def tflite_predict(tflite_model, x):
    """Run a ``.tflite`` model (bytes) on ``x`` of shape
    ``(n, *input_shape)``; returns ``(n, num_classes)``."""
    if not isinstance(tflite_model, bytes):
        raise ValueError("tflite_predict expects the model as bytes; "
                         f"received {type(tflite_model).__name__}")
    with warnings.catch_warnings():  # it announces its move to ai_edge_litert
        warnings.simplefilter("ignore", UserWarning)
        try:
            interpreter = tf.lite.Interpreter(model_content=tflite_model)
        except ValueError as error:
            raise ValueError("tflite_predict expects a TFLite model; "
                             f"received bytes that are not ({error})") from None
    inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    shape = [None if d < 0 else int(d) for d in inp["shape_signature"][1:]]
    x = check_inputs(x, shape, "tflite_predict")
    interpreter.resize_tensor_input(inp["index"], [len(x), *x.shape[1:]])
    interpreter.allocate_tensors()
    interpreter.set_tensor(inp["index"], x.astype(inp["dtype"]))
    interpreter.invoke()
    return interpreter.get_tensor(out["index"])
# --8<-- [end:export]


# --8<-- [start:compare]
import numpy as np


def compression_report(model, x_test, y_test, representative_data):
    """Size in bytes and test accuracy of the float model and of its TFLite
    versions.

    Returns:
        ``{"keras float32": (bytes, accuracy), "tflite float32": ...,
        "tflite dynamic": ..., "tflite int8": ...}``.
    """
    weights = sum(int(np.prod(w.shape)) * 4 for w in model.weights)
    y_hat = model.predict(x_test, verbose=0)
    report = {"keras float32": (weights, np.mean(y_hat.argmax(-1) == y_test))}
    for quantization in (None, "dynamic", "int8"):
        flat = to_tflite(model, quantization, representative_data)
        y_hat = tflite_predict(flat, x_test)
        name = f"tflite {quantization or 'float32'}"
        report[name] = (len(flat), np.mean(y_hat.argmax(-1) == y_test))
    return {name: (size, float(acc)) for name, (size, acc) in report.items()}
# --8<-- [end:compare]
