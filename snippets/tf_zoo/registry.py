"""The model registry: one table from each zoo model's name to its builder for each kind of input.

Adding a model to the zoo is writing ``build_<name>(...) -> keras.Model`` in a module of ``models/`` and
adding one line to ``MODELS``. Nothing registers itself at import time, so the model modules stay plain
Keras code (they never import this package) and this table is the one place to look. A module is imported
only when one of its models is built.
"""

import functools
import importlib

KINDS = {  # kind of input -> what the builder is sized with (see train.build_for)
    "image": "float images (height, width, channels), or vectors (features,): input_shape",
    "sequence": "float sequences (time, features), such as MNIST-1D's (40, 1): input_shape",
    "tokens": "int token ids (time,), 0 = padding: vocab_size",
    "graph": "one whole graph (node features, adjacency): num_nodes, num_features",
}

MODELS = {
    # name: {kind of input it reads: (module in models/, builder, fixed keyword arguments)}
    # The first kind is the model's default: the one build_model(name) builds.
    "bilstm": {"tokens": ("recurrent", "build_recurrent", {"cell": "lstm", "bidirectional": True}),
               "sequence": ("recurrent", "build_recurrent", {"cell": "lstm", "bidirectional": True})},
    "capsnet": {"image": ("capsnet", "build_capsnet", {})},
    "cnn": {"image": ("cnn", "build_cnn", {}),
            "sequence": ("cnn1d", "build_cnn1d", {})},
    "gcn": {"graph": ("gcn", "build_gcn", {})},
    "gru": {"tokens": ("recurrent", "build_recurrent", {"cell": "gru"}),
            "sequence": ("recurrent", "build_recurrent", {"cell": "gru"})},
    "lstm": {"tokens": ("recurrent", "build_recurrent", {"cell": "lstm"}),
             "sequence": ("recurrent", "build_recurrent", {"cell": "lstm"})},
    "mlp": {"image": ("mlp", "build_mlp", {}),
            "sequence": ("mlp", "build_mlp", {})},
    "resnet": {"image": ("resnet", "build_resnet", {})},
    "transformer": {"tokens": ("transformer", "build_transformer", {})},
}


def list_models():
    """Names of every model of the zoo, sorted."""
    return sorted(MODELS)


def _entry(name):
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; expected one of: {', '.join(list_models())}")
    return MODELS[name]


def reads(name):
    """The kinds of input (keys of ``KINDS``) model ``name`` reads, its default first."""
    return tuple(_entry(name))


def models_for(kind):
    """Names of the models that read inputs of ``kind``, sorted."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of input {kind!r}; expected one of: {', '.join(KINDS)}")
    return [name for name in list_models() if kind in MODELS[name]]


def module_of(name, kind=None):
    """The imported module of ``models/`` that holds model ``name``'s builder for ``kind``."""
    module, _, _ = _lookup(name, kind)
    return importlib.import_module(f"snippets.tf_zoo.models.{module}")


def _lookup(name, kind):
    entry = _entry(name)
    kind = next(iter(entry)) if kind is None else kind
    if kind not in entry:
        raise ValueError(f"model {name!r} reads {' or '.join(entry)} inputs; received kind={kind!r} "
                         f"(models for {kind} inputs: {', '.join(models_for(kind))})")
    return entry[kind]


def get_builder(name, kind=None):
    """Model ``name``'s builder for inputs of ``kind`` (default: the model's first kind).

    Returns:
        A function ``(**config) -> keras.Model`` (uncompiled); ValueError naming the choices otherwise.
    """
    _, function, fixed = _lookup(name, kind)
    builder = getattr(module_of(name, kind), function)
    return functools.partial(builder, **fixed) if fixed else builder


def build_model(name, kind=None, **config):
    """Build model ``name`` (uncompiled) for inputs of ``kind`` with builder keyword arguments ``config``."""
    return get_builder(name, kind)(**config)
