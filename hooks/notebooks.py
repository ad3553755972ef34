"""MkDocs hook: when the notebooks in ``docs/notebooks/`` are executed, and whether their outputs are cached.

* ``mkdocs build`` (CI, the tests, a deploy) executes every notebook afresh, with no cache, so a page can never
  show outputs of older code: ``allow_errors: false`` fails the build on any error.
* ``mkdocs serve`` converts the notebooks without executing them, so the first page is up in seconds; set
  ``EXECUTE_NOTEBOOKS=1`` to see their outputs while serving (executed once, then cached in
  ``.cache/mkdocs-jupyter`` until the notebook changes).

``EXECUTE_NOTEBOOKS=0|1`` and ``NOTEBOOK_CACHE=0|1`` override either default.
"""

import logging
import os

log = logging.getLogger("mkdocs.hooks.notebooks")
_state = {"command": "build"}


def _flag(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else value.lower() in ("1", "true", "yes")


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return config
    serving = _state["command"] == "serve"
    plugin.config["execute"] = _flag("EXECUTE_NOTEBOOKS", not serving)
    plugin.config["cache"] = _flag("NOTEBOOK_CACHE", serving)
    log.info("Notebooks: execute=%s, cache=%s", plugin.config["execute"], plugin.config["cache"])
    return config
