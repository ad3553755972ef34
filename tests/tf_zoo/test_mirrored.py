"""Every zoo model, and the training entry point, under a two-replica MirroredStrategy on logical CPUs."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

from snippets.tf_zoo import list_models

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    """One fresh subprocess (the logical devices must be configured before TensorFlow starts) traces every model
    in turn: the suite's other pytest-xdist worker already keeps the second core busy, so a second subprocess
    would only pay TensorFlow's start-up again."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    names = list_models()
    run = subprocess.run([sys.executable, "-m", "tests.tf_zoo.mirrored_check", "--train", *names], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    merged = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(merged["models"]) == names
    return merged


def test_two_replicas(report):
    assert report["replicas"] == 2
    assert report["strategy"] == "MirroredStrategy"


@pytest.mark.parametrize("name", list_models())
def test_model_trains_with_mirrored_variables(report, name):
    result = report["models"][name]
    assert result["shape"] == result["expected_shape"]
    assert result["variable"] == "MirroredVariable"
    before, after = result["eval_loss"]  # in inference mode: the training losses carry dropout noise
    assert after < before, (result["eval_loss"], result["losses"])


def test_train_entry_point_runs_mirrored(report):
    assert report["train"]["strategy"] == "mirrored over 2 devices"
    assert report["train"]["loss"][-1] < report["train"]["loss"][0]
    assert report["train"]["accuracy"] > 0.2  # 10 classes: chance is 0.1
