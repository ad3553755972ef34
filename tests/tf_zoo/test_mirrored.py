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
    """Fresh subprocesses (the logical devices must be configured before TensorFlow starts), two at a time:
    each traces its half of the models, which is most of the time, so two cores halve it."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    names = list_models()
    halves = [["--train", *names[0::2]], names[1::2]]
    runs = [subprocess.Popen([sys.executable, "-m", "tests.tf_zoo.mirrored_check", *half], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for half in halves]
    reports = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr[-3000:]
        reports.append(json.loads(stdout.strip().splitlines()[-1]))
    merged = {**reports[0], "models": {**reports[0]["models"], **reports[1]["models"]}}
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
