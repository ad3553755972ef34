"""The registry: one table from model names to builders, by kind of input; nothing registers itself."""

import ast
import inspect
import pathlib

import pytest

from snippets.tf_zoo import build_model, list_models, registry
from snippets.tf_zoo.registry import KINDS, MODELS, get_builder, models_for, reads

MODELS_DIR = pathlib.Path(__file__).resolve().parents[2] / "snippets" / "tf_zoo" / "models"


def test_lists_the_article_models_and_rejects_unknown_names():
    assert {"mlp", "cnn", "lstm", "gru", "bilstm", "transformer", "resnet"} <= set(list_models())
    assert list_models() == sorted(MODELS)
    with pytest.raises(ValueError, match="unknown model 'perceptron'; expected one of: .*mlp"):
        build_model("perceptron")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_entry_names_a_builder_and_its_arguments(name):
    assert reads(name) and set(reads(name)) <= set(KINDS)
    for kind, (_, function, fixed) in MODELS[name].items():
        builder = getattr(registry.module_of(name, kind), function)
        assert function.startswith("build_") and callable(builder)
        params = inspect.signature(builder).parameters
        assert set(fixed) <= set(params), (name, kind, fixed)
        sized_by = "vocab_size" if kind == "tokens" else "num_nodes" if kind == "graph" else "input_shape"
        assert sized_by in params, (name, kind)


def test_every_builder_in_models_is_in_the_table():
    """One way to add a model: the table. A builder missing from it would be dead code."""
    listed = {(module, function) for entry in MODELS.values() for module, function, _ in entry.values()}
    for path in sorted(MODELS_DIR.glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("build_"):
                assert (path.stem, node.name) in listed, f"{path.name}:{node.name} is not in registry.MODELS"
        imports = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(m and m.startswith("snippets") for m in imports), f"{path.name} imports {imports}"


def test_one_builder_for_the_three_recurrent_models():
    builders = {name: get_builder(name) for name in ("lstm", "gru", "bilstm")}
    assert {b.func.__name__ for b in builders.values()} == {"build_recurrent"}
    assert [b.keywords for b in builders.values()] == [
        {"cell": "lstm"}, {"cell": "gru"}, {"cell": "lstm", "bidirectional": True}]
    assert [build_model(name, units=4, vocab_size=20).name for name in builders] == ["lstm", "gru", "bilstm"]


def test_the_builder_follows_the_kind_of_input():
    assert build_model("cnn").name == "cnn"
    one_d = build_model("cnn", "sequence", input_shape=(40, 1))
    assert one_d.name == "cnn1d" and one_d.output_shape == (None, 10)
    assert build_model("gru", "sequence", input_shape=(40, 1), num_classes=10, units=4).input_shape == (None, 40, 1)
    assert set(models_for("sequence")) >= {"mlp", "cnn", "gru", "lstm"}
    assert models_for("graph") == ["gcn"]


def test_bad_kinds_name_the_choices():
    with pytest.raises(ValueError, match=r"model 'resnet' reads image inputs; received kind='tokens' "
                                         r"\(models for tokens inputs: bilstm, gru, lstm, transformer\)"):
        get_builder("resnet", "tokens")
    with pytest.raises(ValueError, match="unknown kind of input 'audio'; expected one of: image, sequence"):
        models_for("audio")
