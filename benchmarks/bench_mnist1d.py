"""MNIST-1D against its paper: logistic regression, MLP, CNN and GRU from the zoo, on both splits.

Greydanus & Kobak, "Scaling down deep learning with MNIST-1D" (ICML 2024) report test accuracies on the
standard split and with the 40 positions shuffled by one fixed permutation. This script trains the zoo's
Keras models the same way on both (Adam, early stopping on a validation split carved from the 4,000
training sequences, the 1,000 test sequences touched once per model at the end) and writes the table,
ours beside the paper's, to ``benchmarks/results/mnist1d.md`` for the site to include.

    python benchmarks/bench_mnist1d.py                      # full size, a few minutes on a laptop CPU
    python benchmarks/bench_mnist1d.py --epochs 10 --num-train 1000 --output /tmp/m.md  # a quick look
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python benchmarks/bench_mnist1d.py` from a clone, without installing

# The paper's test accuracies (%): (standard, shuffled). It reports logistic regression on the standard
# split only: a linear model sees no order (permuting its inputs permutes its weights), so shuffling
# cannot change what it can learn.
PAPER = {"logistic": (32, None), "mlp": (68, 68), "cnn": (94, 56), "gru": (91, 57)}

MODELS = {  # label -> (zoo model, builder arguments, Adam learning rate: the paper's 0.01)
    "logistic": ("mlp", {"hidden_units": ()}, 1e-2),  # one softmax layer: logistic regression
    "mlp": ("mlp", {"hidden_units": (100, 100), "dropout": 0.0}, 1e-2),  # the paper's 100-100 MLP
    "cnn": ("cnn", {}, 1e-2),  # the 1-D CNN the zoo builds for sequences: 3 x Conv1D(25, 5, stride 2)
    "gru": ("gru", {"units": 32}, 1e-2),
}
NAMES = {"logistic": "logistic regression", "mlp": "MLP", "cnn": "CNN", "gru": "GRU"}
SPLITS = ("mnist1d", "mnist1d-shuffled")


def run(models=tuple(MODELS), splits=SPLITS, epochs=100, patience=10, num_train=None, batch_size=100, seed=0,
        verbose=True):
    """Train each model on each split; ``{(model, split): {"test": ..., "val": ..., "epochs": ..., "s": ...}}``.

    Args:
        models: labels of ``MODELS``.
        splits: dataset names, ``mnist1d`` and/or ``mnist1d-shuffled``.
        epochs: most epochs per run; early stopping on the validation loss ends it sooner.
        patience: epochs without a better validation loss before stopping (the best weights are kept).
        num_train: keep only this many of the 4,000 training sequences (a fifth of them validate).
        batch_size: examples per step (the paper's 100).
        seed: seeds the split, the initial weights and the batch order.
    """
    from snippets.tf_zoo import datasets
    from snippets.tf_zoo.train import train

    results = {}
    for split in splits:
        data = datasets.load(split, batch_size=batch_size, seed=seed, num_samples=num_train)
        for label in models:
            name, config, lr = MODELS[label]
            start = time.perf_counter()
            result = train(name, data, epochs=epochs, lr=lr, early_stopping=patience, seed=seed,
                           strategy="cpu", precision="float32", jit_compile=False, **config)
            best = min(range(len(result.history["val_loss"])), key=result.history["val_loss"].__getitem__)
            results[label, split] = {"test": result.metrics["accuracy"],
                                     "val": result.history["val_accuracy"][best],
                                     "epochs": len(result.history["loss"]), "s": time.perf_counter() - start}
            if verbose:
                r = results[label, split]
                print(f"{split:17s} {label:9s} test {r['test']:.3f}  val {r['val']:.3f}  "
                      f"{r['epochs']:3d} epochs  {r['s']:6.1f} s", flush=True)
    return results


def table(results, command):
    """The results as Markdown: ours beside the paper's, then how the run was made."""
    import keras
    import tensorflow as tf

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import report

    models = [m for m in MODELS if any((m, s) in results for s in SPLITS)]
    lines = ["| model | paper, standard | ours, standard | paper, shuffled | ours, shuffled |",
             "|---|---:|---:|---:|---:|"]
    for m in models:
        cells = []
        for i, split in enumerate(SPLITS):
            ours = results.get((m, split))
            paper = "—" if PAPER[m][i] is None else f"{PAPER[m][i]}%"
            cells += [paper, f"{100 * ours['test']:.1f}%" if ours else "not run"]
        lines.append(f"| {NAMES[m]} | " + " | ".join(cells) + " |")
    total = sum(r["s"] for r in results.values())
    epochs = ", ".join(f"{NAMES[m]} {results[m, s]['epochs']}" for m in models for s in SPLITS[:1]
                       if (m, s) in results)
    lines += [
        "",
        f"Test accuracy on the 1,000 test sequences, measured once per model after training; the epoch "
        f"count was chosen by early stopping on the validation split (standard split: {epochs} epochs).",
        "",
        f"Command: `{command}`. Run {datetime.date.today().isoformat()} on {report.cpu_model()} "
        f"({os.cpu_count()} logical cores), {total:.0f} s in all. {report.versions(tf, keras)}.",
    ]
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    p.add_argument("--epochs", type=int, default=100, help="most epochs per run (default: 100)")
    p.add_argument("--patience", type=int, default=10, help="early-stopping patience (default: 10)")
    p.add_argument("--num-train", type=int, default=None, help="training sequences to keep (default: 4000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "mnist1d.md")
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import report

    results = run(args.models, epochs=args.epochs, patience=args.patience, num_train=args.num_train,
                  seed=args.seed)
    report.write(args.output, table(results, report.command("bench_mnist1d.py", argv)))
    return results


if __name__ == "__main__":
    main()
