"""How each section of snippets/tf_zoo/export.py is used when copied alone."""

USES = {
    "export": """
import tempfile

import keras

model = keras.Sequential([keras.Input((4,)),
                          keras.layers.Dense(3, activation="softmax")])
x = np.random.default_rng(0).random((20, 4)).astype("float32")
flat = to_tflite(model)
np.testing.assert_allclose(tflite_predict(flat, x), model.predict(x, verbose=0),
                           rtol=1e-4, atol=1e-5)
assert tflite_predict(to_tflite(model, "int8", x), x[:2]).shape == (2, 3)
assert len(to_tflite(model, "dynamic")) > 0
assert check_inputs(x, (4,), "use").shape == (20, 4)
try:
    tflite_predict(flat, x[:, :2])
except ValueError as error:
    assert "expects inputs of shape (n, 4)" in str(error)
directory = export_saved_model(model, pathlib.Path(tempfile.mkdtemp()) / "sm")
assert (directory / "saved_model.pb").is_file()
""",
    "compare": """
import keras

model = keras.Sequential([keras.Input((4,)),
                          keras.layers.Dense(3, activation="softmax")])
x = np.random.default_rng(0).random((30, 4)).astype("float32")
y = np.argmax(model.predict(x, verbose=0), axis=-1)
report = compression_report(model, x, y, x)
assert report["keras float32"] == (4 * 3 * 4 + 3 * 4, 1.0)
assert report["tflite float32"][1] == 1.0
assert set(report) == {"keras float32", "tflite float32", "tflite dynamic",
                       "tflite int8"}
""",
}
NEEDS = {"compare": ["snippets/tf_zoo/export.py:export"]}
