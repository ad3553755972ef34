"""The training entry point and the strategy/precision choices, on the CPU."""

import math
import os
import warnings

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.tf_zoo import datasets, devices
from snippets.tf_zoo.train import _check_arrays, build_for, check_output, compile_in_scope, train


def test_train_by_name_learns_digits_and_saves(tmp_path):
    result = train("mlp", "digits", epochs=3, hidden_units=(32,), output=tmp_path)
    assert len(result.history["loss"]) == 3
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert result.metrics["accuracy"] > 0.7  # chance is 0.1
    assert result.strategy == "cpu" and result.precision == "float32"
    loaded = keras.models.load_model(result.path)
    x, _ = datasets.digits_arrays()[1]
    x = x[:8].reshape(-1, 8, 8, 1)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), result.model.predict(x, verbose=0), rtol=1e-5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlp.keras"]  # one file: no separate checkpoint


SEEDED = {"epochs": 1, "hidden_units": (16,), "seed": 3, "early_stopping": 1}


@pytest.fixture(scope="module")
def seeded_run(tmp_path_factory):
    """One seeded run that saves and stops early, with every warning it raises: test_train_triggers_no_warning
    checks there are none and test_same_seed_same_history repeats the run (each run costs a second or two of
    CPU, mostly tracing its steps)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = train("mlp", "digits", output=tmp_path_factory.mktemp("seeded"), **SEEDED)
    return result.history["loss"], caught


def test_same_seed_same_history(seeded_run, tmp_path):
    a, _ = seeded_run
    b = train("mlp", "digits", output=tmp_path, **SEEDED).history["loss"]
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_train_on_arrays_and_a_built_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
    result = train(model, (x, y), epochs=5, lr=0.05)
    assert result.model is model
    assert result.history["val_accuracy"][-1] > 0.8
    assert result.metrics == {}  # an (x, y) pair has no test set: validation metrics are not "test" metrics


def test_train_on_a_train_and_test_pair_evaluates_on_the_test_pair():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("float64")  # integral float labels are fine
    x_test = rng.normal(size=(50, 6)).astype("float32")
    y_test = (x_test[:, 0] < 0).astype("int32")  # the opposite rule: test accuracy must be low
    result = train("mlp", ((x, y), (x_test, y_test)), epochs=5, lr=0.05, hidden_units=(8,))
    assert result.history["val_accuracy"][-1] > 0.8
    expected = result.model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    assert result.metrics["accuracy"] == pytest.approx(expected["accuracy"])
    assert result.metrics["accuracy"] < 0.3


def test_float_arrays_of_three_axes_are_sequences():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 6, 2)).astype("float32")
    y = (x[:, :, 0].sum(1) > 0).astype("int32")
    result = train("gru", (x, y), epochs=1, units=4)
    assert result.model.output_shape == (None, 2)
    with pytest.raises(ValueError, match="reads tokens inputs but the dataset holds sequence inputs"):
        train("transformer", (x, y), epochs=1)


def test_train_triggers_no_warning(seeded_run):
    _, caught = seeded_run
    assert [str(w.message) for w in caught] == []


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


X4 = np.zeros((4, 3), dtype="float32")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"epochs": -1}, r"epochs must be an integer >= 1; received epochs=-1"),
    ({"epochs": 0}, r"received epochs=0"),
    ({"epochs": 1.5}, r"received epochs=1.5"),
    ({"epochs": True}, r"received epochs=True"),
    ({"batch_size": 0}, r"batch_size must be an integer >= 1; received batch_size=0"),
    ({"lr": -1.0}, r"lr must be a finite number > 0; received lr=-1.0"),
    ({"lr": math.nan}, r"received lr=nan"),
    ({"lr": math.inf}, r"received lr=inf"),
    ({"lr": 0}, r"received lr=0"),
    ({"early_stopping": -1}, r"early_stopping must be an integer >= 1; received early_stopping=-1"),
    ({"verbose": 3}, r"verbose must be 0, 1 or 2"),
    ({"seed": -1}, r"seed must be an integer in \[0, 2\*\*32\); received seed=-1"),
    ({"seed": 0.5}, r"received seed=0.5"),
    ({"steps_per_execution": 0}, r"steps_per_execution must be an integer >= 1"),
    ({"data": (X4, [0.0, 1.5, 1.0, 0.0])}, r"non-integral labels such as 1.5"),
    ({"data": (X4, [0, -1, 1, 0])}, r"class labels must be in \[0, 2\*\*31\); received labels from -1"),
    ({"data": (X4[:1], [0])}, r"at least 2 examples.*received 1"),
    ({"data": (X4[:0], [])}, r"at least 2 examples.*received 0"),
    ({"data": (np.full((4, 3), np.nan, "float32"), [0, 1, 1, 0])}, r"x must be finite; received 12 NaN"),
    ({"data": (np.array([[np.inf, 0.0]] * 4), [0, 1, 1, 0])}, r"x must be finite"),
    ({"data": (np.array([["a"]] * 4), [0, 1, 1, 0])}, r"x must hold real numbers"),
    ({"data": (X4, ["a", "b", "a", "b"])}, r"y must hold integer class labels"),
    ({"data": ((X4, [0, 1, 1, 0]), (X4, [0.5, 1, 1, 0]))}, r"test data: .*non-integral"),
    ({"data": 3}, r"data must be a dataset name"),
    ({"data": ((X4, [0, 1, 1, 0]), (X4[:, :2], [0, 1, 1, 0]))}, r"x_test must hold examples of x's shape \(3,\)"),
])
def test_bad_training_arguments_fail_before_training(kwargs, match, tmp_path):
    kwargs = {"data": (X4, [0, 1, 1, 0]), "epochs": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        train("mlp", kwargs.pop("data"), output=tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # nothing saved


@settings(max_examples=50, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_labels_are_kept_exactly_or_refused(label):
    """A float label is either an integer >= 0, kept as that integer, or a ValueError: never truncated."""
    y = np.array([0.0, label])
    try:
        _, kept = _check_arrays(np.zeros((2, 1)), y)
    except ValueError:
        assert not (math.isfinite(label) and label == round(label) and 0 <= label < 2**31)
    else:
        assert kept[1] == label


def test_check_output_refuses_files_and_unwritable_places(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="which is a file"):
        check_output(tmp_path / "file")
    with pytest.raises(ValueError, match="lies under .*file, which is a file"):
        check_output(tmp_path / "file" / "sub")
    assert check_output(tmp_path / "new" / "dir").is_dir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root may write anywhere: pretend it cannot
    with pytest.raises(ValueError, match="is not writable"):
        check_output(tmp_path / "other")


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
