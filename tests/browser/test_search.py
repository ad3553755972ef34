"""The site's search finds the page a reader means (issue 17), in Chromium against the built site: the first result
for a topic's name is the page about it, and no excerpt shows raw TeX (math is left out of the index by
hooks/search.py; KaTeX renders it only on the page)."""

import re

import pytest

# query -> the page (URL path) its first result must be on
FIRST = {
    "backpropagation": "fundamentals/learning-process/backward-pass/",
    "relu": "fundamentals/activation-functions/",
    "lstm": "architectures/rnn/",
    "convolution": "architectures/cnn/",
    "attention": "future/transformers/",
}
# queries whose results sit in math-heavy sections
MATHY = ["gradient", "softmax", "hidden state", "cross-entropy", "chain rule"]
TEX = re.compile(r"\\[a-zA-Z]+|\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$]*\$|\^\{|_\{")


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    """The home page with its search dialog open, shared by this module's queries: the browser builds the search
    index once, not once per query."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    page.goto("./")
    page.locator(".md-search__input").click(force=True)
    yield page
    context.close()


def _search(page, query):
    """(hrefs, texts) of the results for ``query``, in order."""
    field = page.locator(".md-search__input")
    field.fill("")  # the last query's results go first, so none of them is read as this one's
    page.locator(".md-search-result__item").first.wait_for(state="detached", timeout=10_000)
    field.press_sequentially(query)
    results = page.locator(".md-search-result__item > .md-search-result__link")
    results.first.wait_for(timeout=30_000)  # the browser builds the index first
    page.wait_for_timeout(500)  # the list is filled after the worker answers the last keystroke
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll(".md-search-result__item")];
        return [items.map((item) => item.querySelector(".md-search-result__link")?.getAttribute("href") || ""),
                items.map((item) => item.innerText)];
    }""")


@pytest.mark.parametrize("query", FIRST)
def test_the_first_result_is_the_page_about_the_topic(search_page, query):
    hrefs, _ = _search(search_page, query)
    assert FIRST[query] in hrefs[0], f"{query!r}: results in order: {hrefs[:5]}"


@pytest.mark.parametrize("query", MATHY)
def test_excerpts_show_no_raw_tex(search_page, query):
    _, texts = _search(search_page, query)
    raw = [t for t in texts if TEX.search(t)]
    assert not raw, f"{query!r}: excerpts with TeX: {[TEX.search(t)[0] + ' in ' + t[:200] for t in raw[:3]]}"
