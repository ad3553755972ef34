"""The site's features, driven in Chromium: search, the copy button, content tabs, the light/dark toggle, math,
notebook outputs and the theme's 404 page. The pages each test uses are found in the build, not hard-coded."""

import contextlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import site_pages
from tests.page_fences import PYTHON_LANGS, fence_info, parser

ROOT_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _pages_with(site_dir, marker):
    return [p for p in site_pages(site_dir) if marker in (site_dir / p / "index.html").read_text(encoding="utf8")]


def test_search_finds_backpropagation_and_opens_the_page(page, site_dir):
    page.goto("./")
    page.locator(".md-search__input").click(force=True)  # the header's search field opens the search dialog
    page.locator(".md-search__input").press_sequentially("backpropagation")
    results = page.locator(".md-search-result__item > .md-search-result__link")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("learning-process/backward-pass/" in h for h in hrefs), hrefs
    target = next(i for i, h in enumerate(hrefs) if "learning-process/backward-pass/" in h)
    results.nth(target).click()
    page.wait_for_url(re.compile(r".*/fundamentals/learning-process/backward-pass/.*"))
    page.locator("article h1").first.wait_for()
    assert "backpropagation" in page.locator("article").inner_text().lower()


def _first_included_python_block(site_dir):
    """(page path, text) of the first Python fence on the site that is an include, as the page renders it."""
    for path in site_pages(site_dir):
        source = ROOT_DOCS / (path + "index.md" if (ROOT_DOCS / path / "index.md").exists() else path[:-1] + ".md")
        if not path or not source.exists() or "--8<--" not in source.read_text(encoding="utf8"):
            continue
        raw = [t for t in parser().parse(source.read_text(encoding="utf8")) if t.type == "fence"]
        for token in raw:
            if fence_info(token.info)[0] in PYTHON_LANGS:
                return path, token.content
    pytest.fail("no page includes a Python snippet")


def test_copy_button_copies_the_code_exactly(page, site_dir):
    path, expected = _first_included_python_block(site_dir)
    page.goto(path)
    block = page.locator(".language-python.highlight").first
    block.hover()
    block.locator("button[data-md-type=copy], button.md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == expected.rstrip("\n"), f"/{path}: copied text differs from the snippet"


def test_content_tabs_switch(page, site_dir):
    pages = _pages_with(site_dir, 'class="tabbed-set')
    assert pages, "no page uses content tabs"
    page.goto(pages[0])
    tabs = page.locator(".tabbed-set").first
    labels, blocks = tabs.locator(".tabbed-labels > label"), tabs.locator(".tabbed-content > .tabbed-block")
    assert labels.count() >= 2
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    labels.nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()


def test_dark_mode_toggles_and_is_remembered(page):
    page.goto("./")
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    assert scheme() == "default"
    for _ in range(3):  # the toggle cycles: system preference -> light -> dark
        if scheme() == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert scheme() == "slate"
    page.reload()
    assert scheme() == "slate", "the dark scheme was not remembered after a reload"
    page.goto("getting-started/")
    assert scheme() == "slate", "the dark scheme was not kept on another page"


def test_math_renders_with_katex(page, site_dir):
    pages = _pages_with(site_dir, 'class="arithmatex"')
    assert pages, "no page has math"
    for path in pages[:2] + _pages_with(site_dir, '<div class="jupyter-wrapper"')[-1:]:
        page.goto(path)
        page.locator(".katex").first.wait_for(timeout=10_000)
        # Formulas are rendered a batch per animation frame (assets/javascripts/katex.js): allow the last a moment.
        rendered = "() => !/\\\\(frac|sqrt)/.test(document.querySelector('article').innerText)"
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(rendered, timeout=10_000)
        assert page.locator(".katex-error").count() == 0, f"/{path}: KaTeX could not parse some math"
        leftover = page.locator("article").inner_text()
        assert "\\frac" not in leftover and "\\sqrt" not in leftover, f"/{path}: raw TeX left on the page"


def test_notebook_pages_render_their_outputs(page, site_dir):
    notebooks = _pages_with(site_dir, '<div class="jupyter-wrapper"')
    assert len(notebooks) >= 6, notebooks
    for path in notebooks:
        page.goto(path)
        cells = page.locator(".jp-CodeCell")
        outputs = page.locator(".jp-OutputArea-output")
        assert cells.count() >= 3, f"/{path}: {cells.count()} code cells"
        printed = "\n".join(outputs.all_inner_texts())
        assert outputs.count() >= 2 and printed.strip(), f"/{path}: no outputs rendered"
        assert "Traceback" not in printed and "oneDNN" not in printed and "absl" not in printed, (
            f"/{path}: an error or TensorFlow's start-up logs are shown:\n{printed[:2000]}")
        assert page.locator("a[href$='.ipynb']").count() >= 1, f"/{path}: no download link"
        assert page.locator("a[href^='https://colab.research.google.com/github/']").count() == 1, f"/{path}"


def test_a_missing_page_shows_the_theme_404(page):
    response = page.goto("no-such-page/")
    assert response.status == 404
    assert page.locator("h1").first.inner_text().startswith("404")
    assert page.locator("header.md-header").count() == 1, "the 404 page is not the theme's"
    assert page.evaluate("getComputedStyle(document.querySelector('header.md-header')).position") == "sticky"
