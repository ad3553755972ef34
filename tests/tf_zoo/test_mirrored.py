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
    """One subprocess for all models: the logical devices must be configured before TensorFlow starts."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    run = subprocess.run([sys.executable, "-m", "tests.tf_zoo.mirrored_check"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_two_replicas(report):
    assert report["replicas"] == 2
    assert report["strategy"] == "MirroredStrategy"


@pytest.mark.parametrize("name", list_models())
def test_model_trains_with_mirrored_variables(report, name):
    result = report["models"][name]
    assert result["shape"] == result["expected_shape"]
    assert result["variable"] == "MirroredVariable"
    assert result["losses"][-1] < result["losses"][0], result["losses"]


def test_train_entry_point_runs_mirrored(report):
    assert report["train"]["strategy"] == "MirroredStrategy"
    assert report["train"]["loss"][-1] < report["train"]["loss"][0]
    assert report["train"]["accuracy"] > 0.2  # 10 classes: chance is 0.1
