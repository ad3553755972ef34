"""The site's features, driven in Chromium: search, the copy button, content tabs, the light/dark toggle and the
theme's 404 page. The pages each test uses are found in the build, not hard-coded. (That math renders with KaTeX and
that notebook pages show their outputs are checked in test_pages.py, on the visit that checks each page.)"""

import re
from pathlib import Path

import pytest

from tests.browser.conftest import pages_with, site_pages
from tests.page_fences import PYTHON_LANGS, fence_info, parser

ROOT_DOCS = Path(__file__).resolve().parents[2] / "docs"


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
    pages = pages_with(site_dir, 'class="tabbed-set')
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


def test_a_missing_page_shows_the_theme_404(page):
    response = page.goto("no-such-page/")
    assert response.status == 404
    assert page.locator("h1").first.inner_text().startswith("404")
    assert page.locator("header.md-header").count() == 1, "the 404 page is not the theme's"
    assert page.evaluate("getComputedStyle(document.querySelector('header.md-header')).position") == "sticky"
