"""The training entry point and the strategy/precision choices, on the CPU."""

import keras
import numpy as np
import pytest

from snippets.tf_zoo import datasets, devices
from snippets.tf_zoo.train import build_for, compile_in_scope, train


def test_train_by_name_learns_digits_and_saves(tmp_path):
    result = train("mlp", "digits", epochs=3, hidden_units=(32,), output=tmp_path)
    assert len(result.history["loss"]) == 3
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert result.metrics["accuracy"] > 0.7  # chance is 0.1
    assert result.strategy == "_DefaultDistributionStrategy" and result.precision == "float32"
    loaded = keras.models.load_model(result.path)
    x, _ = datasets.digits_arrays()[1]
    x = x[:8].reshape(-1, 8, 8, 1)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), result.model.predict(x, verbose=0), rtol=1e-5)
    assert (tmp_path / "checkpoint.keras").exists()


def test_same_seed_same_history():
    a = train("mlp", "digits", epochs=1, hidden_units=(16,), seed=3).history["loss"]
    b = train("mlp", "digits", epochs=1, hidden_units=(16,), seed=3).history["loss"]
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_train_on_arrays_and_a_built_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
    result = train(model, (x, y), epochs=5, lr=0.05)
    assert result.model is model
    assert result.metrics["accuracy"] > 0.8


def test_compile_in_scope_builds_under_the_policy_and_restores_it():
    import tensorflow as tf

    def build():
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2, dtype="float32")])

    before = keras.mixed_precision.global_policy().name
    model = compile_in_scope(build, tf.distribute.get_strategy(), "mixed_bfloat16", lr=0.5)
    assert keras.mixed_precision.global_policy().name == before  # applies to this model only
    assert model.layers[0].compute_dtype == "bfloat16" and model.layers[0].variable_dtype == "float32"
    assert model.layers[1].compute_dtype == "float32"
    assert model.compiled and float(model.optimizer.learning_rate) == 0.5

    def broken():
        raise RuntimeError("builder failed")

    with pytest.raises(RuntimeError, match="builder failed"):
        compile_in_scope(broken, tf.distribute.get_strategy(), "mixed_bfloat16")
    assert keras.mixed_precision.global_policy().name == before  # restored even when building fails


def test_mixed_bfloat16_on_cpu_keeps_float32_output():
    result = train("mlp", "digits", epochs=2, hidden_units=(32,), precision="mixed_bfloat16")
    assert result.precision == "mixed_bfloat16"
    assert result.model.layers[1].compute_dtype == "bfloat16"
    assert result.model.output.dtype == "float32"
    assert np.isfinite(result.metrics["loss"]) and result.metrics["accuracy"] > 0.5
    assert keras.mixed_precision.global_policy().name == "float32"  # restored afterwards


def test_early_stopping_stops_and_restores():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 4)).astype("float32")
    y = rng.integers(0, 2, size=100).astype("int32")  # pure noise: validation loss stops improving
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    result = train(model, (x, y), epochs=200, lr=0.05, early_stopping=2)
    assert len(result.history["loss"]) < 200


@pytest.mark.parametrize(("call", "match"), [
    (lambda: train("lstm", "digits", epochs=1), "does not fit this dataset"),
    (lambda: train("nope", "digits", epochs=1), "unknown model 'nope'"),
    (lambda: train("mlp", "nope", epochs=1), "unknown dataset 'nope'"),
    (lambda: train("mlp", "digits", strategy="tpu"), "unknown strategy 'tpu'"),
    (lambda: train("mlp", "digits", precision="float8"), "unknown precision 'float8'"),
    (lambda: train("mlp", ([[1.0]] * 3, [0, 1]), epochs=1), "same number of examples"),
])
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.skipif(bool(devices.gpus()), reason="this machine has a GPU")
def test_gpu_only_choices_fail_clearly_without_a_gpu(monkeypatch):
    import tensorflow as tf

    with pytest.raises(ValueError, match="needs a GPU"):
        devices.make_strategy("gpu")
    if len(tf.config.list_logical_devices("CPU")) < 2:  # another test may have split the CPU in this process
        with pytest.raises(ValueError, match="needs GPUs"):
            devices.make_strategy("mirrored")
    with pytest.raises(ValueError, match="mixed_float16.*needs a GPU"):
        devices.resolve_precision("mixed_float16")
    assert devices.resolve_precision("auto") == "float32"
    assert devices.resolve_jit("auto") is False
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(ValueError, match="TF_CONFIG"):
        devices.make_strategy("multi_worker")


def test_build_for_sizes_the_model_from_the_data():
    data = datasets.load("sentiment")
    model = build_for("gru", data, units=8)
    assert model.output_shape == (None, 2)
    assert model.layers[1].input_dim == data.vocab_size


@pytest.mark.gpu
@pytest.mark.skipif(not devices.gpus(), reason="needs a GPU")
def test_gpu_path_mixed_float16_and_xla():
    result = train("cnn", "digits", epochs=2)  # auto: GPU, mixed_float16, XLA
    assert result.precision == "mixed_float16"
    assert result.model.layers[1].compute_dtype == "float16"
    assert result.model.output.dtype == "float32"
    assert result.metrics["accuracy"] > 0.5
