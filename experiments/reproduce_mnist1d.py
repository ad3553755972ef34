"""MNIST-1D against its paper: logistic regression, an MLP, a CNN and a GRU, on the standard split and with the
40 positions shuffled, as the zoo's Keras models and as NumPy networks built from this site's primitives.

Greydanus & Kobak, "Scaling down deep learning with MNIST-1D" (ICML 2024) report test accuracy: logistic
regression 32%, MLP 68%, CNN 94%, GRU 91%; shuffled: MLP 68%, CNN 56%, GRU 57%. Every model here trains on
3,200 of the 4,000 training sequences, keeps the weights of its best epoch on the other 800 (validation), and
is evaluated once on the 1,000 test sequences. Writes ``experiments/results/mnist1d.md`` (the table the site
includes) and ``mnist1d.json`` (the numbers its figure draws).

    python experiments/reproduce_mnist1d.py            # the committed results: several minutes on two cores
    python experiments/reproduce_mnist1d.py --size small --output /tmp/mnist1d.md   # what the tests run
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

RESULTS = Path(__file__).parent / "results" / "mnist1d.md"
PAPER = {  # test accuracy in the paper, standard and shuffled (None: not reported)
    "logistic regression": (0.32, None), "MLP": (0.68, 0.68), "CNN": (0.94, 0.56), "GRU": (0.91, 0.57),
}
SIZES = {  # training sequences, epochs for (logistic, MLP, CNN, GRU) and for the NumPy networks
    "full": {"train": None, "epochs": {"logistic regression": 100, "MLP": 100, "CNN": 100, "GRU": 60},
             "numpy_epochs": {"MLP": 100, "CNN": 60}},
    # small: what the tests run; at 10 epochs the orderings they check held for seeds 0 to 4 with margins of
    # 8 points or more (at 6 epochs, seed 2 did not show the CNN losing on shuffled positions)
    "small": {"train": 1200, "epochs": {"logistic regression": 10, "MLP": 10, "CNN": 10, "GRU": 4},
              "numpy_epochs": {"MLP": 30, "CNN": 15}},
}
BATCH = 100  # the paper's batch size
LR = 1e-2  # and its Adam learning rate


def split(x, y, seed=0, n_val=800):
    """Training and validation parts of MNIST-1D's training set."""
    order = np.random.default_rng(seed).permutation(len(y))
    return (x[order[n_val:]], y[order[n_val:]]), (x[order[:n_val]], y[order[:n_val]])


def keras_model(name):
    from snippets.tf_zoo import build_model

    if name == "logistic regression":
        return build_model("mlp", "sequence", input_shape=(40, 1), hidden_units=(), dropout=0.0)
    if name == "MLP":  # the paper's: two hidden layers of 100 ReLU units
        return build_model("mlp", "sequence", input_shape=(40, 1), hidden_units=(100, 100), dropout=0.0)
    if name == "CNN":
        return build_model("cnn", "sequence", input_shape=(40, 1))
    return build_model("gru", "sequence", input_shape=(40, 1), num_classes=10, units=64)


def train_keras(name, train, validation, test, epochs, seed=0):
    """Fit with Adam, keep the best validation epoch's weights, evaluate once on test."""
    import keras

    keras.utils.set_random_seed(seed)
    model = keras_model(name)
    model.compile(optimizer=keras.optimizers.Adam(LR),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    best = keras.callbacks.EarlyStopping("val_accuracy", patience=epochs, restore_best_weights=True)
    history = model.fit(*train, batch_size=BATCH, epochs=epochs, validation_data=validation,
                        callbacks=[best], verbose=0).history
    _, accuracy = model.evaluate(*test, verbose=0)
    return max(history["val_accuracy"]), accuracy


def numpy_network(name, rng):
    """The MLP (Dense and ReLU) or the CNN (the paper's three stride-2 convolutions of 25 filters, of widths 5,
    3 and 3, on images one pixel high), from snippets/numpy_nn."""
    from snippets.numpy_nn.conv_layer import Conv2D, Flatten
    from snippets.numpy_nn.dense import Dense
    from snippets.numpy_nn.network import classifier, mlp

    if name == "MLP":
        return classifier(mlp([40, 100, 100, 10], rng))
    convs = [Conv2D(c_in, 25, (1, k), rng, strides=(1, 2)) for c_in, k in ((1, 5), (25, 3), (25, 3))]
    return classifier([*convs, Flatten(), Dense(5 * 25, 10, rng)])


def train_numpy(name, train, validation, test, epochs, seed=0):
    """The same protocol with the NumPy Sequential: best validation epoch kept, test evaluated once."""
    from snippets.numpy_nn.optimizers import Adam

    rng = np.random.default_rng(seed)
    shape = (lambda a: a.reshape(len(a), 40)) if name == "MLP" else (lambda a: a.reshape(len(a), 1, 40, 1))
    (x, y), (x_val, y_val), (x_test, y_test) = ((shape(a), b) for a, b in (train, validation, test))
    network, optimizer = numpy_network(name, rng), Adam(LR)
    best, best_params = -1.0, None
    for _ in range(epochs):
        network.fit(x, y, optimizer, epochs=1, batch_size=BATCH, rng=rng)
        _, accuracy = network.evaluate(x_val, y_val)
        if accuracy > best:
            best, best_params = accuracy, {k: v.copy() for k, v in network.params.items()}
    for key, value in network.params.items():
        value[...] = best_params[key]
    return best, network.evaluate(x_test, y_test)[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--models", nargs="+", choices=sorted(PAPER), default=sorted(PAPER),
                        help="train only these (all by default)")
    parser.add_argument("--keras-only", action="store_true", help="skip the NumPy networks")
    args = parser.parse_args(argv)
    size = SIZES[args.size]

    from snippets.tf_zoo.datasets import load_arrays

    results, start = {}, time.time()
    for shuffled in (False, True):
        # MNIST-1D is generated once per process; the shuffled split permutes it.
        (x, y), test = load_arrays("mnist1d-shuffled" if shuffled else "mnist1d", flat=True)
        train, validation = split(x[..., None], y)
        if size["train"]:
            train = (train[0][: size["train"]], train[1][: size["train"]])
        test = (test[0][..., None], test[1])
        split_name = "shuffled" if shuffled else "standard"
        for name, epochs in size["epochs"].items():
            if name not in args.models or shuffled and PAPER[name][1] is None:
                continue
            results[f"keras/{name}/{split_name}"] = train_keras(name, train, validation, test, epochs)
            print(split_name, "Keras", name, results[f"keras/{name}/{split_name}"], flush=True)
        for name, epochs in size["numpy_epochs"].items():
            if name not in args.models or args.keras_only:
                continue
            results[f"numpy/{name}/{split_name}"] = train_numpy(name, train, validation, test, epochs)
            print(split_name, "NumPy", name, results[f"numpy/{name}/{split_name}"], flush=True)

    import keras
    import tensorflow as tf

    def cell(side, name, split_name):
        value = results.get(f"{side}/{name}/{split_name}")
        return "" if value is None else f"{value[1]:.0%}"

    lines = ["| model | paper | Keras (zoo) | NumPy (this site) | paper, shuffled | Keras, shuffled "
             "| NumPy, shuffled |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, (paper, paper_shuffled) in PAPER.items():
        lines.append(f"| {name} | {paper:.0%} | {cell('keras', name, 'standard')} | "
                     f"{cell('numpy', name, 'standard')} | "
                     f"{'' if paper_shuffled is None else f'{paper_shuffled:.0%}'} | "
                     f"{cell('keras', name, 'shuffled')} | {cell('numpy', name, 'shuffled')} |")
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    lines += ["", f"Test accuracy, each model evaluated once at the epoch of its best validation accuracy "
              f"(800 of the 4,000 training sequences). {args.size} size, {time.time() - start:.0f} s on "
              f"{machine}; Python {platform.python_version()}, NumPy {np.__version__}, TensorFlow "
              f"{tf.__version__}, Keras {keras.__version__}; {time.strftime('%Y-%m-%d')}. Command: "
              f"`{' '.join(['python experiments/reproduce_mnist1d.py', *(sys.argv[1:] if argv is None else argv)])}`."]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf8")
    numbers = {key: {"validation": v, "test": t} for key, (v, t) in results.items()}
    args.output.with_suffix(".json").write_text(json.dumps({"paper": PAPER, "ours": numbers}, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
