"""Training across machines for real: two worker processes on 127.0.0.1, each with its own TF_CONFIG."""

import json
import os
import pathlib
import socket
import subprocess
import sys

import numpy as np
import pytest

from snippets.tf_zoo import devices

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_ports(n):
    """``n`` ports that were free a moment ago (the OS picks them; the workers bind them right after)."""
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """Run ``tests/tf_zoo/multi_worker_check.py`` as workers 0 and 1; [(json report, weights, output dir)]."""
    tmp = tmp_path_factory.mktemp("workers")
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    runs = []
    for index in range(2):
        tf_config = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
        env = {**os.environ, "TF_CONFIG": tf_config, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
               "SNIPPETS_OFFLINE": "1"}
        cmd = [sys.executable, "-W", "error", "-m", "tests.tf_zoo.multi_worker_check", str(tmp / f"out{index}"),
               str(tmp / f"weights{index}.npz")]
        runs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True))
    results = []
    try:
        for index, run in enumerate(runs):
            stdout, stderr = run.communicate(timeout=240)
            assert run.returncode == 0, f"worker {index} failed:\n{stderr[-3000:]}"
            with np.load(tmp / f"weights{index}.npz") as saved:
                weights = [saved[key] for key in saved.files]
            results.append((json.loads(stdout.strip().splitlines()[-1]), weights, tmp / f"out{index}", stdout,
                            stderr))
    finally:
        for run in runs:
            run.kill()
    return results


def test_both_workers_end_with_identical_weights(workers):
    (_, a, *_), (_, b, *_) = workers
    assert len(a) == len(b) > 0
    for wa, wb in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)


def test_the_loss_falls_and_both_workers_report_the_same_run(workers):
    (report, *_), (other, *_) = workers
    assert report["strategy"] == other["strategy"] == "multi_worker over 2 workers"
    assert len(report["loss"]) == 2 and report["loss"][1] < report["loss"][0]
    assert report["val_loss"][1] < report["val_loss"][0]
    assert report["loss"] == pytest.approx(other["loss"]) and report["metrics"] == pytest.approx(other["metrics"])
    assert report["metrics"]["accuracy"] > 0.2  # ten classes: chance is 0.1


def test_only_the_chief_writes_files(workers):
    (chief, _, chief_dir, *_), (other, _, other_dir, *_) = workers
    assert pathlib.Path(chief["path"]) == chief_dir / "mlp.keras" and chief_dir.joinpath("mlp.keras").is_file()
    assert sorted(p.name for p in chief_dir.iterdir()) == ["mlp.keras"]
    assert other["path"] is None and not any(other_dir.iterdir())


def test_progress_like_the_single_machine_path_and_no_log_lines(workers):
    for _, _, _, stdout, stderr in workers:
        assert "Epoch 1/2" in stdout and "Epoch 2/2" in stdout and "val_loss" in stdout
        assert stderr.strip() == "", stderr[-2000:]  # no warnings, no TensorFlow C++ log lines


@pytest.mark.parametrize(("tf_config", "match"), [
    (None, "needs the TF_CONFIG environment variable"),
    ("", "needs the TF_CONFIG environment variable"),
    ("{cluster: 1}", r"TF_CONFIG is not valid JSON \(Expecting property name"),
    ("[1, 2]", "TF_CONFIG needs a 'cluster' with a list of 'worker' addresses"),
    ('{"cluster": {"worker": []}, "task": {"type": "worker", "index": 0}}', "list of 'worker' addresses"),
    ('{"cluster": {"worker": ["localhost"]}, "task": {"type": "worker", "index": 0}}', "'worker' addresses"),
    ('{"cluster": {"worker": ["a:1", "b:2"]}}', "TF_CONFIG needs a 'task' of type 'worker' with an index below 2"),
    ('{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 2}}', "index below 2"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "ps", "index": 0}}', "of type 'worker'"),
])
def test_a_malformed_tf_config_is_named(tf_config, match, monkeypatch):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    with pytest.raises(ValueError, match=match):
        devices.make_strategy("multi_worker")


def test_cluster_spec_reads_a_valid_tf_config():
    config = {"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 1}}
    assert devices.cluster_spec(json.dumps(config)) == (["host1:12345", "host2:12345"], 1)
