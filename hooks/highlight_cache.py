"""MkDocs hook: remembers each code block's highlighted HTML between builds, so a warm build skips Pygments.

Pygments takes about a third of a warm build (some 500 blocks and 90,000 tokens), and ``mkdocs serve`` builds
the whole site at start and again on every edit. Highlighting a block is a pure function of its text, its
options and the versions of Pygments and pymdown-extensions: this hook wraps
``pymdownx.highlight.Highlight.highlight`` and keeps each result in ``.cache/highlight/``, one file per block,
named by a hash of all of those. A changed block, option or version gets a new name and is highlighted afresh;
after a full build, the files it did not use are removed.

Two kinds of call are never cached, because their result is not a plain string the call alone decides: inline
code (it returns an element) and a block with a title (pymdownx stores the title in the page's HTML stash, a side
effect a cached result would skip).
"""

import hashlib
import importlib.metadata
import os
import tempfile
from pathlib import Path

from pymdownx import highlight

VERSIONS = tuple(importlib.metadata.version(name) for name in ("pygments", "pymdown-extensions"))
_state = {"folder": None, "used": set(), "dirty": False}


def cache_key(highlighter, args, kwargs):
    """A hash of everything ``highlighter.highlight(*args, **kwargs)`` depends on."""
    options = sorted((name, value) for name, value in vars(highlighter).items() if name != "md")
    text = repr((VERSIONS, options, args, sorted(kwargs.items())))
    return hashlib.sha256(text.encode("utf8")).hexdigest()


def _cacheable(args, kwargs):
    inline = kwargs.get("inline", args[7] if len(args) > 7 else False)
    title = kwargs.get("title", args[11] if len(args) > 11 else None)
    return not inline and not title


def _remembered(highlight_block):
    def remembered_highlight(self, *args, **kwargs):
        folder = _state["folder"]
        if folder is None or not _cacheable(args, kwargs):
            return highlight_block(self, *args, **kwargs)
        path = folder / f"{cache_key(self, args, kwargs)}.html"
        _state["used"].add(path.name)
        if path.is_file():
            return path.read_text(encoding="utf8")
        html = highlight_block(self, *args, **kwargs)
        _write_atomically(path, html)
        return html

    remembered_highlight.highlight_block = highlight_block
    return remembered_highlight


def _write_atomically(path, text):
    """Write ``text`` to ``path`` so that a build running at the same time never reads half of it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf8") as file:
        file.write(text)
    os.replace(temporary, path)


def on_startup(command, dirty):
    _state["dirty"] = dirty  # `mkdocs serve --dirty` rebuilds only the edited pages: the others' files stay


def on_config(config):
    # MkDocs loads this hook anew with every config (each rebuild of `mkdocs serve`): wrap the method only once.
    if not hasattr(highlight.Highlight.highlight, "highlight_block"):
        highlight.Highlight.highlight = _remembered(highlight.Highlight.highlight)
    folder = Path(config.config_file_path).parent / ".cache" / "highlight"
    folder.mkdir(parents=True, exist_ok=True)
    _state.update(folder=folder, used=set())
    return config


def on_post_build(config):
    folder, used = _state["folder"], _state["used"]
    if folder is None or not used or _state["dirty"]:
        return
    for path in folder.glob("*.html"):
        if path.name not in used:
            path.unlink(missing_ok=True)
