"""The model registry: every ``build_<name>`` in ``snippets/tf_zoo/models/`` registers itself by name.

Adding a model is adding a module to ``models/`` whose builder is decorated with ``@register("name")``;
no central list to edit.
"""

import importlib
import pkgutil

_BUILDERS = {}


def register(name):
    """Decorator: make ``builder(**config) -> keras.Model`` available as ``build_model(name, **config)``."""

    def decorate(builder):
        # The same builder defined again (a page or notebook running the model's code) leaves the registry as
        # it is; a different function under a taken name is a mistake.
        if name in _BUILDERS and _BUILDERS[name].__name__ == builder.__name__:
            return builder
        if name in _BUILDERS:
            raise ValueError(
                f"a model named {name!r} is already registered by {_BUILDERS[name].__module__}."
                f"{_BUILDERS[name].__qualname__}; received {builder.__module__}.{builder.__qualname__}"
            )
        _BUILDERS[name] = builder
        return builder

    return decorate


def _discover():
    from snippets.tf_zoo import models

    for info in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"{models.__name__}.{info.name}")


def list_models():
    """Names of every registered model, sorted."""
    _discover()
    return sorted(_BUILDERS)


def get_builder(name):
    """The builder function registered as ``name``; ValueError naming the choices otherwise."""
    _discover()
    if name not in _BUILDERS:
        raise ValueError(f"unknown model {name!r}; expected one of: {', '.join(sorted(_BUILDERS))}")
    return _BUILDERS[name]


def build_model(name, **config):
    """Build the registered model ``name`` (uncompiled) with builder keyword arguments ``config``."""
    return get_builder(name)(**config)
