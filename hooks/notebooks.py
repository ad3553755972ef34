"""MkDocs hook: when the notebooks in ``docs/notebooks/`` are executed, and whether their outputs are cached.

* ``mkdocs build`` (CI, the tests, a deploy) executes every notebook afresh, with no cache, so a page can never
  show outputs of older code: ``allow_errors: false`` fails the build on any error.
* ``mkdocs serve`` converts the notebooks without executing them, so the first page is up in seconds; set
  ``EXECUTE_NOTEBOOKS=1`` to see their outputs while serving (executed once, then cached in
  ``.cache/mkdocs-jupyter`` until the notebook changes).

``EXECUTE_NOTEBOOKS=0|1`` and ``NOTEBOOK_CACHE=0|1`` override either default.

nbconvert inlines JupyterLab's whole stylesheet (about 600 kB) and a mermaid loader into every notebook page; on a
phone that alone costs Lighthouse's performance target. ``on_post_page`` drops them: notebook cells are styled
by the theme (their code gets the theme's ``highlight`` class) and by a few rules in ``overrides/main.html``.

TensorFlow's C++ start-up logs (oneDNN, CUDA) are written straight to file descriptor 2, which ipykernel would
copy into the notebook as outputs. The kernels started here read an IPython profile (``IPYTHONDIR`` under
``.cache/``) that stops that copy (``capture_fd_output = False``) and points the kernel's descriptor 2 at
/dev/null, so those lines reach neither the page nor the build's log. What the code prints, Python warnings and
tracebacks travel through Python's ``sys.stdout``/``sys.stderr``, not descriptor 2, and still reach the page.
"""

import logging
import os
import re
from pathlib import Path

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
    profile = Path(config.config_file_path).parent / ".cache" / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(
        "# Written by hooks/notebooks.py: C-level output (TensorFlow's start-up logs) stays off the pages.\n"
        "c.IPKernelApp.capture_fd_output = False\n"
        "c.IPKernelApp.exec_lines = ['import os as _os; _os.dup2(_os.open(_os.devnull, _os.O_WRONLY), 2); del _os']\n"
        "# The kernels of a build run on this machine and talk to it over localhost: the kernel's notice that TCP\n"
        "# is unencrypted (one line per notebook in the build log) says nothing here. Only that message is dropped.\n"
        "import logging\n"
        "class _LocalhostNotice(logging.Filter):\n"
        "    def filter(self, record):\n"
        "        return not record.getMessage().startswith('Kernel is running over TCP without encryption')\n"
        "logging.getLogger('IPKernelApp').addFilter(_LocalhostNotice())\n",
        encoding="utf8")
    os.environ["IPYTHONDIR"] = str(profile.parent)
    return config


_ARTICLE = re.compile(r"(<article\b.*?</article>)", re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
_MERMAID = re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded".*?</script>\s*', re.S)


def _slim(article):
    article = _STYLE.sub("", article)
    # The loader only acts on mermaid diagrams (ours have none) and imports mermaid from cdnjs. Look for a
    # diagram's markup, not the bare class name: the loader's own selector ".jp-Mermaid" contains that.
    if 'class="jp-Mermaid' not in article:
        article = _MERMAID.sub("", article)
    return article.replace('class="highlight-ipynb', 'class="highlight highlight-ipynb')


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    return _ARTICLE.sub(lambda m: _slim(m.group(1)), output, count=1)
