"""``mkdocs serve`` on a copy of the project: it shows the first page, and a saved edit to an included snippet
appears on the page after the automatic reload. (How fast the first page comes is measured by
``benchmarks/serve_startup.py``, not asserted here.)"""

import re
import shutil
import time
import uuid
from pathlib import Path

from playwright.sync_api import Error

from tests.browser.serving import Serve

ROOT = Path(__file__).resolve().parents[2]


def _copy_project(dest):
    patterns = shutil.ignore_patterns(".git", ".venv", "site", ".cache", "node_modules", ".hypothesis", "__pycache__",
                                      ".pytest_cache", "*.egg-info", "build")

    def skip(folder, names):  # and sockets, such as a running Jupyter kernel's in docs/notebooks/
        special = {n for n in names if not (Path(folder, n).is_file() or Path(folder, n).is_dir())}
        return set(patterns(folder, names)) | special

    shutil.copytree(ROOT, dest, ignore=skip, dirs_exist_ok=True)
    if (ROOT / ".cache" / "figures").is_dir():  # drawn figures: serve would otherwise redraw them all first
        shutil.copytree(ROOT / ".cache" / "figures", dest / ".cache" / "figures")


def _an_included_section(docs):
    """(page URL path, snippet file, section name) of the first page that includes a named section."""
    for page in sorted(docs.rglob("*.md")):
        m = re.search(r'--8<-- "(snippets/[^":]+\.py):([\w-]+)"', page.read_text(encoding="utf8"))
        if m:
            rel = page.relative_to(docs).with_suffix("")
            url = "" if rel.as_posix() == "index" else (rel.parent if rel.name == "index" else rel).as_posix() + "/"
            return url, m.group(1), m.group(2)
    raise AssertionError("no page includes a named snippet section")


# Whether the code block holding ``marker`` is on the page and shows it. The block is scrolled into view first: code
# blocks off screen skip their rendering (content-visibility: auto, extra.css), and the text of a skipped block is
# missing from innerText, so a check of the whole page's innerText failed at random, depending on where the reload
# left the page scrolled (measured: the served page and the DOM held the edit ~3 s after it was saved, every time,
# while the page's innerText sometimes had it only after the next reload, 30 s later, or not at all).
SHOWN = """(marker) => {
  const block = [...document.querySelectorAll("pre")].find((pre) => pre.textContent.includes(marker));
  if (!block) return false;
  block.scrollIntoView();
  return block.checkVisibility() && block.innerText.includes(marker);
}"""


def test_serve_shows_pages_and_reloads_an_edited_snippet(browser, tmp_path, built_site):
    # After the site build (built_site), which leaves every figure drawn in .cache/figures: the copy starts with
    # them, as a reader's second `mkdocs serve` does. (A cold start is measured by benchmarks/serve_figures.py.)
    _copy_project(tmp_path)
    url_path, snippet, section = _an_included_section(tmp_path / "docs")
    with Serve(tmp_path) as server:
        page = browser.new_page()
        page.goto(server.url + url_path)
        marker = f"reload_check_{uuid.uuid4().hex[:8]}"
        source = tmp_path / snippet
        end = f"# --8<-- [end:{section}]"
        text = source.read_text(encoding="utf8")
        assert end in text
        source.write_text(text.replace(end, f"# {marker}\n{end}", 1), encoding="utf8")
        # The server rebuilds and the page reloads itself (livereload): no page.reload() here.
        deadline = time.monotonic() + 90
        shown = False
        while not shown and time.monotonic() < deadline:
            try:
                shown = page.evaluate(SHOWN, marker)
            except Error:  # the page is being reloaded right now
                pass
            page.wait_for_timeout(250)
        page.close()
        assert shown, f"the edit to {snippet} ({section}) did not appear on /{url_path} after the reload"
