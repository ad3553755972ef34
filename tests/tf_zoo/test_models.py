"""Every registered zoo model, through its module's SMOKE spec: shape, parameters, config, .keras, training."""

import ast
import functools
import pathlib

import keras
import numpy as np
import pytest

from snippets.tf_zoo import build_model, list_models
from tests.tf_zoo import smoke

MODELS = list_models()
MODELS_DIR = pathlib.Path(__file__).resolve().parents[2] / "snippets" / "tf_zoo" / "models"


@functools.cache
def built(name):
    """The tiny model ``name``, built once for the tests below that only read it: the output, parameter-count and
    round-trip tests (building each larger model takes a few tenths of a second; training tests build their own)."""
    return smoke.build(name)


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
    model = built(name)
    x, y = smoke.data(name)
    y_hat = keras.ops.convert_to_numpy(model(x, training=False))
    assert y_hat.shape == y.shape + (smoke.spec(name)["num_classes"],)
    assert np.all(np.isfinite(y_hat))
    np.testing.assert_allclose(y_hat.sum(axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name", MODELS)
def test_exact_parameter_count(name):
    assert built(name).count_params() == smoke.spec(name)["params"]


@pytest.mark.parametrize("name", MODELS)
def test_get_config_and_keras_file_round_trip(name, tmp_path):
    model = built(name)
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
    """The mixed_bfloat16 path on CPU: bfloat16 maths inside, float32 probabilities out."""
    keras.utils.set_random_seed(0)  # the loss must fall from these weights, whatever ran before in this worker
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


def test_mlp_without_hidden_layers_is_logistic_regression():
    model = build_model("mlp", input_shape=(40, 1), hidden_units=())
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Flatten", "Dense"]
    assert model.count_params() == 40 * 10 + 10
    with pytest.raises(ValueError, match=r"hidden_units must be positive layer widths; received hidden_units=\(8, 0\)"):
        build_model("mlp", hidden_units=(8, 0))


@pytest.mark.parametrize(("name", "params"), [
    # cnn1d: 150 + 2*1,900 + 125*10+10 (its docstring); mlp on 40 flat steps: 40*128+128 + 128*64+64 + 650;
    # gru on 1 feature, 8 units: 3*(8*(1+8)+2*8) = 264, dense 8*10+10 = 90; lstm: 4*(8*(1+8)+8) = 320, + 90.
    ("cnn", 5_210), ("mlp", 5_248 + 8_256 + 650), ("gru", 264 + 90), ("lstm", 320 + 90)])
def test_the_zoo_builds_each_model_for_mnist1d_sequences(name, params):
    config = {"units": 8} if name in ("gru", "lstm") else {}
    model = build_model(name, "sequence", input_shape=(40, 1), num_classes=10, **config)
    assert model.count_params() == params
    x = np.random.default_rng(0).normal(size=(4, 40, 1)).astype("float32")
    np.testing.assert_allclose(predict(model, x).sum(axis=-1), 1.0, rtol=1e-5)


def test_cnn1d_tiny_version_and_bad_shape():
    from snippets.tf_zoo.models import cnn1d

    model = cnn1d.build_cnn1d(**cnn1d.SMOKE["config"])
    assert model.count_params() == cnn1d.SMOKE["params"]
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(16, 8, 1)).astype("float32")
    y = np.random.default_rng(1).integers(0, 3, size=16).astype("int32")
    losses = smoke.fit_losses(model, x, y)
    assert losses[-1] < 0.9 * losses[0], losses
    with pytest.raises(ValueError, match=r"cnn1d expects input_shape=\(time, features\); received input_shape="):
        cnn1d.build_cnn1d(input_shape=(8, 8, 1))


def test_recurrent_readout_all_is_the_mnist1d_papers_gru():
    # Bidirectional GRU of 6 units on 1 feature: 2 * 3*(6*(1+6)+2*6) = 324; the classifier reads all 40 steps'
    # states of both directions, 40*12 = 480 features: 480*10+10 = 4,810. Total 5,134.
    model = build_model("gru", "sequence", input_shape=(40, 1), num_classes=10, units=6, bidirectional=True,
                        readout="all")
    assert model.count_params() == 324 + 4_810
    x = np.random.default_rng(0).normal(size=(3, 40, 1)).astype("float32")
    assert predict(model, x).shape == (3, 10)
    with pytest.raises(ValueError, match="readout must be 'last', or 'all' with an input_shape"):
        build_model("gru", readout="all")  # tokens of any length cannot be flattened


def test_recurrent_builder_rejects_bad_arguments():
    from snippets.tf_zoo.models.recurrent import build_recurrent

    with pytest.raises(ValueError, match=r"cell must be one of \['gru', 'lstm'\]; received cell='rnn'"):
        build_recurrent(cell="rnn")
    with pytest.raises(ValueError, match="expected units >= 1 and num_classes >= 2; received units=0"):
        build_recurrent(units=0)
    with pytest.raises(ValueError, match=r"expected input_shape=\(time, features\); received input_shape=\(40,\)"):
        build_recurrent(input_shape=(40,))


def test_transformer_without_positions_sees_a_set_of_tokens():
    """positions=False drops the position vectors; attention and average pooling then ignore token order."""
    from snippets.tf_zoo.models.transformer import build_transformer

    keras.utils.set_random_seed(0)
    config = {"vocab_size": 20, "sequence_length": 7, "embed_dim": 4, "ff_dim": 8}
    blind, seeing = build_transformer(**config, positions=False), build_transformer(**config)
    assert blind.count_params() == seeing.count_params() - 7 * 4
    tokens = np.array([[3, 5, 7, 9, 11, 0, 0]])
    reordered = np.array([[11, 9, 7, 5, 3, 0, 0]])
    np.testing.assert_allclose(predict(blind, tokens), predict(blind, reordered), atol=1e-6)
    assert np.abs(predict(seeing, tokens) - predict(seeing, reordered)).max() > 1e-4


@pytest.mark.parametrize(("config", "message"), [
    ({"input_shape": (8, 8, 1), "filters": (4, 4, 4, 4)}, r"at least 16x16 pixels for 4 pooling blocks"),
    ({"input_shape": (0, 8, 1)}, r"received input_shape=\(0, 8, 1\)"),
    ({"num_classes": 1}, "num_classes >= 2; received input_shape=.*num_classes=1"),
    ({"input_shape": (28, 28)}, r"input_shape=\(height, width, channels\); received input_shape=\(28, 28\)"),
])
def test_cnn_rejects_images_too_small_for_its_pools_and_a_single_class(config, message):
    from snippets.tf_zoo.models.cnn import build_cnn

    with pytest.raises(ValueError, match=message):
        build_cnn(**config)


def test_position_embedding_rejects_sequences_longer_than_it_covers():
    from snippets.tf_zoo.models.transformer import PositionEmbedding

    layer = PositionEmbedding(sequence_length=4)
    assert layer(np.zeros((1, 4, 2), dtype="float32")).shape == (1, 4, 2)
    with pytest.raises(ValueError, match="at most 4 positions; received a sequence of 6"):
        layer(np.zeros((1, 6, 2), dtype="float32"))
    with pytest.raises(ValueError, match="positive integer sequence_length; received 0"):
        PositionEmbedding(0)
