"""``python -m snippets.tf_zoo``: list, train, export, --help, and one clear line with exit code 2 on bad input."""

import contextlib
import io
import json
import os
import pathlib
import subprocess
import sys

import pytest

from snippets.tf_zoo import cli, registry
from snippets.tf_zoo.cli import DATASETS, datasets_for, main, trainable_models

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = {**os.environ, "SNIPPETS_OFFLINE": "1", "CUDA_VISIBLE_DEVICES": "", "PYTHONWARNINGS": "error"}
ENV.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the CLI must quieten TensorFlow by itself

# Put before a script run in a fresh interpreter, makes importing TensorFlow fail there: what the CLI does after
# it must not need TensorFlow.
BLOCK_TF = """
import sys
sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError
sys.modules["keras"] = None
"""


def run_cli(*argv, timeout=300, **env):
    return subprocess.run([sys.executable, "-m", "snippets.tf_zoo", *argv], cwd=ROOT, env={**ENV, **env},
                          capture_output=True, text=True, timeout=timeout)


# Runs several CLI commands in turn in one fresh interpreter, for one TensorFlow start-up instead of one each:
# each command's exit code, and its stdout and stderr as file descriptors 1 and 2 (where TensorFlow's C++ code
# writes too), in files of its own. The first command imports TensorFlow as a lone `python -m snippets.tf_zoo`.
IN_TURN = """
import json, os, sys
from snippets.tf_zoo.cli import main
commands, folder = json.loads(sys.argv[1]), sys.argv[2]
for name, argv in commands.items():
    saved = os.dup(1), os.dup(2)
    with open(f"{folder}/{name}.out", "w") as out, open(f"{folder}/{name}.err", "w") as err:
        os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code
        finally:
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
    print(name, code, flush=True)
"""


def run_in_turn(commands, folder, script=IN_TURN, **env):
    """``{name: argv}`` run by ``script`` (IN_TURN): ``{name: CompletedProcess}``, one per command, as ``run_cli``
    returns."""
    run = subprocess.run([sys.executable, "-c", script, json.dumps(commands), str(folder)], cwd=ROOT,
                         env={**ENV, **env}, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and run.stderr == "", run.stderr[-3000:]
    codes = dict(line.split() for line in run.stdout.splitlines())
    assert list(codes) == list(commands), run.stdout
    return {name: subprocess.CompletedProcess(commands[name], int(codes[name]),
                                              (folder / f"{name}.out").read_text(),
                                              (folder / f"{name}.err").read_text()) for name in commands}


HELP_AND_LIST = [["--help"], ["train", "--help"], ["export", "--help"], ["list"]]
USAGE_ERRORS = [  # argv ({file}: a file, {tmp}: a folder), a part of the one line it prints
    (["train", "nope"], "unknown model 'nope'; expected one of: "),
    (["train", "lstm", "--dataset", "digits"],
     "model 'lstm' does not fit --dataset digits: it reads tokens or sequence inputs, digits holds image inputs; "
     "try --dataset sentiment"),
    (["train", "mlp", "--dataset", "nope"], "argument --dataset: invalid choice: 'nope'"),
    (["train", "mlp", "--epochs", "0"], "argument --epochs: expected an integer >= 1; received 0"),
    (["train", "mlp", "--epochs", "-1"], "argument --epochs: expected an integer >= 1; received -1"),
    (["train", "mlp", "--epochs", "two"], "argument --epochs: expected an integer >= 1; received 'two'"),
    (["train", "mlp", "--batch-size", "0"], "argument --batch-size: expected an integer >= 1; received 0"),
    (["train", "mlp", "--lr", "-1"], "argument --lr: expected a finite number > 0; received -1"),
    (["train", "mlp", "--lr", "nan"], "argument --lr: expected a finite number > 0; received nan"),
    (["train", "mlp", "--lr", "inf"], "received inf"),
    (["train", "mlp", "--lr", "0"], "received 0"),
    (["train", "mlp", "--early-stopping", "-1"], "argument --early-stopping: expected an integer >= 1; received -1"),
    (["train", "mlp", "--early-stopping", "0"], "received 0"),
    (["train", "mlp", "--strategy", "tpu"], "argument --strategy: invalid choice: 'tpu'"),
    (["train", "mlp", "--seed", "-1"], "argument --seed: expected an integer in [0, 2**32); received -1"),
    (["train", "mlp", "--output", "{file}"], "--output: output must be a directory; received '{file}', which is a "
                                             "file"),
    (["train", "mlp", "--output", "{file}/sub"], "which lies under {file}, which is a file"),
    (["export", "{file}"], "MODEL.keras must be a .keras file; received '{file}'"),
    (["export", "{tmp}/missing.keras"], "received '{tmp}/missing.keras', which does not exist"),
    (["trian"], "argument command: invalid choice: 'trian'"),
]


@pytest.fixture(scope="module")
def without_tf(tmp_path_factory):
    """Every command of HELP_AND_LIST and USAGE_ERRORS run in turn by ``run_in_turn`` in one fresh interpreter
    where importing TensorFlow fails (one Python start-up for all, not one each): ({argv as listed:
    CompletedProcess}, the values of {file} and {tmp})."""
    tmp = tmp_path_factory.mktemp("without_tf")
    (tmp / "file").write_text("not a directory")
    fill = {"file": str(tmp / "file"), "tmp": str(tmp)}
    listed = [*HELP_AND_LIST, *(argv for argv, _ in USAGE_ERRORS)]
    runs = run_in_turn({str(i): [a.format(**fill) for a in argv] for i, argv in enumerate(listed)}, tmp,
                       script=BLOCK_TF + IN_TURN)
    return {tuple(argv): runs[str(i)] for i, argv in enumerate(listed)}, fill


@pytest.mark.parametrize("argv", HELP_AND_LIST)
def test_help_and_list_need_no_tensorflow(argv, without_tf):
    run = without_tf[0][tuple(argv)]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_train_help_names_every_option(without_tf):
    run = without_tf[0][("train", "--help")]
    for option in ("--dataset", "--epochs", "--batch-size", "--strategy", "--precision", "--jit", "--lr",
                   "--early-stopping", "--seed", "--output", "--verbose"):
        assert option in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


@pytest.mark.parametrize(("argv", "message"), USAGE_ERRORS)
def test_usage_errors_exit_2_with_one_line_before_importing_tensorflow(argv, message, without_tf):
    runs, fill = without_tf
    run = runs[tuple(argv)]
    assert run.returncode == 2, run.stderr
    assert run.stdout == "" and len(run.stderr.splitlines()) == 1, run.stderr
    assert message.format(**fill) in run.stderr


def test_multi_worker_without_tf_config_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "mlp", "--strategy", "multi_worker"])
    assert exit_info.value.code == 2
    assert "needs the TF_CONFIG environment variable" in capsys.readouterr().err


def test_malformed_tf_config_is_named(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TF_CONFIG", "{cluster: oops}")
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "mlp", "--strategy", "multi_worker", "--output", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "TF_CONFIG is not valid JSON (Expecting property name" in err and len(err.splitlines()) == 1


def test_unwritable_output_is_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root may write anywhere: pretend it cannot
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "mlp", "--output", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert "is not writable" in capsys.readouterr().err


def test_the_tables_match_the_modules_they_mirror():
    from snippets.tf_zoo import datasets, devices

    assert set(DATASETS) == set(datasets.NAMES)
    assert {name: alt for name, (_, alt) in DATASETS.items() if alt} == {
        name: alt for name, (_, alt) in datasets.DOWNLOADS.items()}
    assert cli.STRATEGIES == devices.STRATEGIES and cli.PRECISIONS == devices.PRECISIONS
    assert set(kind for kind, _ in DATASETS.values()) <= set(registry.KINDS)


@pytest.mark.parametrize("name", [name for name, (_, alt) in DATASETS.items() if alt is None])
def test_offline_dataset_kinds_are_right(name):
    from snippets.tf_zoo import datasets

    assert datasets.load(name).kind == DATASETS[name][0]


def test_list_shows_what_each_model_reads_and_the_datasets_it_fits(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["model", "reads", "datasets"]
    listed = [line.split()[0] for line in lines[1:] if not line.startswith(" ")]
    assert listed == trainable_models()
    assert "mlp          image     digits, shapes, mnist*, cifar10*" in lines
    for name in registry.list_models():  # a model is listed if and only if an offline dataset fits it
        offline = [d for d in datasets_for(name) if DATASETS[d][1] is None]
        assert (name in listed) == bool(offline), name
    assert max(len(line) for line in lines) <= 80


@pytest.fixture(scope="module")
def trained(commands):
    """One real `train` run, the first command of ``commands`` (so it imports TensorFlow as a lone
    `python -m snippets.tf_zoo train` does; stdout not a terminal): (CompletedProcess, output directory)."""
    runs, outputs = commands
    return runs["train"], outputs["train"]


def test_train_prints_plain_progress_metrics_and_writes_one_file(trained):
    run, out = trained
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("epoch 1/2: loss ") and lines[1].startswith("epoch 2/2: loss ")
    assert ", accuracy " in lines[0] and ", val_loss " in lines[0] and ", val_accuracy " in lines[0]
    assert not any(c in run.stdout for c in "\r\b\x1b")  # no progress-bar redraws when stdout is not a terminal
    assert lines[2] == "strategy: cpu, precision: float32"
    assert lines[3].startswith("test: loss ") and ", accuracy " in lines[3]
    assert lines[4] == f"saved {out / 'mlp.keras'}" and len(lines) == 5
    assert sorted(p.name for p in out.iterdir()) == ["mlp.keras"]  # one file: the checkpoint is the model
    assert max(len(line) for line in lines) <= 80


def test_train_prints_no_tensorflow_log_lines_or_warnings(trained):
    run, _ = trained
    assert run.stderr == ""
    assert "tensorboard" not in run.stdout and "Strategy" not in run.stdout


def test_verbose_shows_tensorflow_lines(tmp_path):
    run = run_cli("train", "mlp", "--strategy", "gpu", "--output", str(tmp_path), "--verbose",
                  PYTHONWARNINGS="default")
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) > 1 and run.stderr.splitlines()[-1].endswith("use --strategy cpu or 'auto'")


# The models that the commands interpreter trains (model -> its command there): mlp's is the run the train tests
# check, gru's the model whose TFLite export fails; every_model trains the others.
IN_COMMANDS = {"mlp": "train", "gru": "gru_train"}


def train_argv(name, output):
    """``train NAME`` for one epoch on the first offline dataset that fits the model, as every listed model is
    trained."""
    dataset = next(d for d in datasets_for(name) if DATASETS[d][1] is None)
    return ["train", name, "--dataset", dataset, "--epochs", "1", "--batch-size", "128", "--output", str(output)]


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    """A real `train`, then export of the model it wrote, four commands that fail, and the export of a model
    TFLite cannot express, run in turn in one fresh interpreter by ``run_in_turn`` (one TensorFlow start-up for
    all): (``{name: CompletedProcess}``, a folder with each command's ``--output``)."""
    tmp = tmp_path_factory.mktemp("commands")
    outputs = {name: tmp / name for name in ("train", "export", "calibration", "mnist", "gpu", "gru_train", "gru")}
    mlp, gru = outputs["train"] / "mlp.keras", outputs["gru_train"] / "gru.keras"
    runs = run_in_turn({  # train first: it imports TensorFlow, as it does when run alone
        "train": ["train", "mlp", "--epochs", "2", "--output", str(outputs["train"])],
        "export": ["export", str(mlp), "--output", str(outputs["export"])],
        "calibration": ["export", str(mlp), "--output", str(outputs["calibration"]), "--dataset", "sentiment",
                        "--tflite", "int8"],
        "mnist": ["train", "mlp", "--dataset", "mnist", "--output", str(outputs["mnist"])],
        "gpu": ["train", "mlp", "--strategy", "gpu", "--output", str(outputs["gpu"])],
        "gru_train": train_argv("gru", outputs["gru_train"]),  # on the sentiment dataset
        "gru": ["export", str(gru), "--output", str(outputs["gru"]), "--tflite", "float"],
    }, tmp, KERAS_HOME=str(tmp))  # an empty Keras cache: mnist is not downloaded
    return runs, outputs


def test_export_writes_saved_model_and_three_tflite_files(commands):
    runs, outputs = commands
    run, exported = runs["export"], outputs["export"]
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    names = sorted(p.name for p in exported.iterdir())
    assert names == ["mlp-dynamic.tflite", "mlp-int8.tflite", "mlp.tflite", "mlp_saved_model"]
    assert (exported / "mlp_saved_model" / "saved_model.pb").is_file()
    from snippets.tf_zoo import datasets
    from snippets.tf_zoo.export import tflite_predict

    (x, _), _ = datasets.load_arrays("digits")
    for name in names[:3]:
        assert tflite_predict((exported / name).read_bytes(), x[:4]).shape == (4, 10)


def test_export_of_a_wrong_calibration_dataset_is_one_line(commands):
    run = commands[0]["calibration"]
    assert run.returncode == 2
    assert "representative_data expects inputs of shape (n, 8, 8, 1)" in run.stderr
    assert len(run.stderr.splitlines()) == 1, run.stderr


def test_a_model_tflite_cannot_express_fails_with_one_line(commands):
    runs, outputs = commands
    run = runs["gru"]
    assert run.returncode == 1
    assert "TFLite's built-in operations cannot express gru" in run.stderr and len(run.stderr.splitlines()) == 1
    assert (outputs["gru"] / "gru_saved_model" / "saved_model.pb").is_file()


def test_offline_download_and_missing_gpu_exit_2_with_flag_hints(commands):
    run, gpu = commands[0]["mnist"], commands[0]["gpu"]
    assert run.returncode == 2
    assert run.stderr.strip().endswith("use --dataset digits, which needs no download"), run.stderr
    assert len(run.stderr.splitlines()) == 1, run.stderr
    assert gpu.returncode == 2 and "needs a GPU" in gpu.stderr and len(gpu.stderr.splitlines()) == 1


@pytest.fixture(scope="module")
def every_model(tmp_path_factory):
    """Every listed model but those of IN_COMMANDS trained in this process by ``main`` (``train_argv``): (directory
    with a folder per model, what the runs printed)."""
    out = tmp_path_factory.mktemp("every_model")
    printed = io.StringIO()
    models = [name for name in trainable_models() if name not in IN_COMMANDS]
    with contextlib.redirect_stdout(printed):
        codes = {name: main(train_argv(name, out / name)) for name in models}
    assert codes == dict.fromkeys(models, 0), codes
    return out, printed.getvalue()


def test_every_listed_model_trains_from_the_cli_offline(every_model, commands):
    (trained_models, out), (runs, outputs) = every_model, commands
    for command in IN_COMMANDS.values():
        assert runs[command].returncode == 0, runs[command].stderr
        out += runs[command].stdout
    for name in trainable_models():
        folder = outputs[IN_COMMANDS[name]] if name in IN_COMMANDS else trained_models / name
        assert (folder / f"{name}.keras").is_file(), name
    assert out.count("test: loss ") == len(trainable_models()), json.dumps(out[-2000:])
