"""Every registered zoo model, through its module's SMOKE spec: shape, parameters, config, .keras, training."""

import ast
import pathlib

import keras
import numpy as np
import pytest

from snippets.tf_zoo import build_model, list_models
from tests.tf_zoo import smoke

MODELS = list_models()
MODELS_DIR = pathlib.Path(__file__).resolve().parents[2] / "snippets" / "tf_zoo" / "models"


def predict(model, x):
    return keras.ops.convert_to_numpy(model(x, training=False))


def test_the_article_models_are_registered():
    assert {"mlp", "cnn", "lstm", "gru", "resnet"} <= set(MODELS)


def test_default_mlp_is_exactly_the_articles_network():
    model = build_model("mlp")
    # 784*128+128 = 100,480; 128*64+64 = 8,256; 64*10+10 = 650.
    assert model.count_params() == 100_480 + 8_256 + 650
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["InputLayer", "Dense", "Dropout", "Dense", "Dense"]
    assert model.layers[2].rate == 0.2
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize("name", MODELS)
def test_output_shape_and_probabilities(name):
    model = smoke.build(name)
    x, y = smoke.data(name)
    y_hat = keras.ops.convert_to_numpy(model(x, training=False))
    assert y_hat.shape == y.shape + (smoke.spec(name)["num_classes"],)
    assert np.all(np.isfinite(y_hat))
    np.testing.assert_allclose(y_hat.sum(axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name", MODELS)
def test_exact_parameter_count(name):
    assert smoke.build(name).count_params() == smoke.spec(name)["params"]


@pytest.mark.parametrize("name", MODELS)
def test_get_config_and_keras_file_round_trip(name, tmp_path):
    model = smoke.build(name)
    x, _ = smoke.data(name)
    clone = model.__class__.from_config(model.get_config())
    assert clone.count_params() == model.count_params()
    clone.set_weights(model.get_weights())
    expected = predict(model, x)
    np.testing.assert_allclose(predict(clone, x), expected, rtol=1e-5, atol=1e-6)

    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(predict(loaded, x), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", MODELS)
def test_a_few_training_steps_lower_the_loss(name):
    keras.utils.set_random_seed(0)
    losses = smoke.fit_losses(smoke.build(name), *smoke.data(name))
    assert np.all(np.isfinite(losses))
    assert losses[-1] < 0.9 * losses[0], losses


@pytest.mark.parametrize("name", MODELS)
def test_output_stays_float32_under_mixed_precision(name):
    """The mixed_bfloat16 path on CPU: float16 maths inside, float32 probabilities out."""
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = smoke.build(name)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    x, y = smoke.data(name)
    assert any(layer.compute_dtype == "bfloat16" for layer in model.layers)
    y_hat = model(x, training=False)
    assert keras.backend.standardize_dtype(y_hat.dtype) == "float32"
    losses = smoke.fit_losses(model, x, y, steps=5)
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


@pytest.mark.parametrize("path", sorted(MODELS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_model_code_never_imports_tensorflow(path):
    """Model code is keras.layers/keras.ops only, so it runs on the JAX and PyTorch backends too."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n == "tensorflow" or n.startswith("tensorflow.") for n in names), (
            f"{path.name} imports {names}; model code must use keras.layers / keras.ops only")
