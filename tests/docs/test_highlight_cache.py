"""hooks/highlight_cache.py: a warm build reads each block's highlighted HTML from .cache/highlight/, and gets
exactly what Pygments writes; a changed block is highlighted afresh; unused files go after a full build."""

import types

import markdown
import pytest
from pymdownx import highlight

from hooks import highlight_cache

EXTENSIONS = ["pymdownx.highlight", "pymdownx.superfences"]
OPTIONS = {"pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span", "pygments_lang_class": True}}
PAGE = '''Some text.

```python
def relu(x):
    return np.maximum(0.0, x)
```

```python hl_lines="2"
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
```
'''


def _html(text):
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=OPTIONS)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The hook started as MkDocs starts it, for a site in ``tmp_path``; undone after the test."""
    monkeypatch.setattr(highlight.Highlight, "highlight", highlight.Highlight.highlight)
    monkeypatch.setattr(highlight_cache, "_state", dict(highlight_cache._state))
    highlight_cache.on_startup("build", dirty=False)
    highlight_cache.on_config(types.SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml")))
    return tmp_path / ".cache" / "highlight"


def test_cached_html_is_exactly_what_pygments_writes(cache):
    plain = highlight.Highlight.highlight.highlight_block
    first = _html(PAGE)
    assert len(list(cache.glob("*.html"))) == 2  # one file per block
    second = _html(PAGE)
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(highlight.Highlight, "highlight", plain)
        uncached = _html(PAGE)
    assert first == second == uncached
    assert '<span class="k">def</span>' in first and 'class="hll"' in first


def test_a_warm_build_reads_the_remembered_html(cache):
    _html(PAGE)
    for path in cache.glob("*.html"):
        path.write_text(path.read_text().replace("relu", "remembered"))
    assert "remembered" in _html(PAGE)


def test_an_edited_block_is_highlighted_afresh(cache):
    _html(PAGE)
    edited = _html(PAGE.replace("0.0, x", "0.5, x"))
    assert "0.5" in edited and len(list(cache.glob("*.html"))) == 3


def test_a_block_with_a_title_or_inline_code_is_not_cached(cache):
    html = markdown.markdown('```python title="relu.py"\nx = 1\n```\n\n`#!python y = 2`',
                             extensions=[*EXTENSIONS, "pymdownx.inlinehilite"], extension_configs=OPTIONS)
    assert "relu.py" in html and '<span class="n">y</span>' in html
    assert not list(cache.glob("*.html"))


def test_files_a_full_build_did_not_use_are_removed(cache, tmp_path):
    _html(PAGE)
    config = types.SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    highlight_cache.on_config(config)  # the next build
    _html(PAGE.split("```python hl_lines")[0])  # the second block is gone from the page
    highlight_cache.on_post_build(config)
    assert len(list(cache.glob("*.html"))) == 1


def test_a_dirty_build_keeps_the_other_pages_files(cache, tmp_path):
    _html(PAGE)
    config = types.SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    highlight_cache.on_startup("serve", dirty=True)
    highlight_cache.on_config(config)
    _html(PAGE.split("```python hl_lines")[0])
    highlight_cache.on_post_build(config)
    assert len(list(cache.glob("*.html"))) == 2
