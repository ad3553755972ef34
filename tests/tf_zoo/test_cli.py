"""``python -m snippets.tf_zoo``: list, train, --help, and one clear line with exit code 2 on bad input."""

import os
import pathlib
import subprocess
import sys

import pytest

from snippets.tf_zoo import build_model, list_models
from snippets.tf_zoo.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_list_prints_every_model_with_its_parameter_count(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list_models()
    assert f"{build_model('mlp').count_params():,}" in lines[list_models().index("mlp")]


def test_train_prints_metrics_and_writes_a_keras_file(tmp_path, capsys):
    assert main(["train", "mlp", "--dataset", "digits", "--epochs", "2", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "test accuracy:" in out and "loss:" in out
    assert (tmp_path / "mlp.keras").stat().st_size > 0


@pytest.mark.parametrize(("argv", "message"), [
    (["train", "nope"], "unknown model 'nope'"),
    (["train", "lstm", "--dataset", "digits"], "does not fit this dataset"),
    (["train", "mlp", "--dataset", "nope"], "invalid choice: 'nope'"),
    (["train", "mlp", "--epochs", "0"], "--epochs and --batch-size must be >= 1"),
])
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_subprocess_help_and_offline_download_error(tmp_path):
    env = {**os.environ, "SNIPPETS_OFFLINE": "1", "KERAS_HOME": str(tmp_path), "CUDA_VISIBLE_DEVICES": ""}
    cmd = [sys.executable, "-m", "snippets.tf_zoo"]
    help_run = subprocess.run([*cmd, "train", "--help"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert help_run.returncode == 0
    for option in ("--dataset", "--epochs", "--batch-size", "--strategy", "--precision", "--jit", "--output"):
        assert option in help_run.stdout
    run = subprocess.run([*cmd, "train", "mlp", "--dataset", "mnist"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "use dataset='digits'" in run.stderr and "Traceback" not in run.stderr
    gpu = subprocess.run([*cmd, "train", "mlp", "--strategy", "gpu"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert gpu.returncode == 2 and "needs a GPU" in gpu.stderr and "Traceback" not in gpu.stderr
