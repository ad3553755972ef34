"""Every page of the built site, visited once in a fresh browser context (in two halves: HALVES): it loads
with no console error, asks no host but the local server for anything, transfers at most 1.5 MB on first load, and
axe-core finds no serious or critical accessibility violation; and, on the same visit widened to a laptop's
1280x900 (issue 13), no code block scrolls sideways. The pages are found in the build, so new pages are covered."""

import collections
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import require_chromium, site_pages

MAX_FIRST_LOAD_BYTES = 1_500_000
AXE_IMPACTS = ("serious", "critical")
LAPTOP = {"width": 1280, "height": 900}
# axe-core takes seconds on a page with thousands of highlighted code tokens. Each page has its own renderer
# process, so the next page loads while axe still runs on the last two: two CPU cores are kept busy.
AXE_AT_ONCE = 2
# axe parses the same few CSS colours (a token's, its block's background) thousands of times on such a page:
# remember each colour parsed, as its four channels (a string that fails to parse is still parsed, and fails, anew).
REMEMBER_COLOURS = """() => {
  const Color = axe.commons.color.Color, parse = Color.prototype.parseString, parsed = new Map();
  Color.prototype.parseString = function (text) {
    if (!parsed.has(text)) {
      parse.call(this, text);
      parsed.set(text, [this.r, this.g, this.b, this.alpha]);
    }
    [this.r, this.g, this.b, this.alpha] = parsed.get(text);
    return this;
  };
}"""
# The longest line of every code block that scrolls sideways (measured with the blocks the browser skips off
# screen rendered too).
SCROLLING_CODE = """() => [...document.querySelectorAll("pre > code")].filter((code) => {
    code.style.contentVisibility = "visible";
    return code.checkVisibility() && code.scrollWidth > code.clientWidth + 1;
  }).map((code) => code.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a)))"""


def _open(browser, site_url, path, axe_script):
    """(page, report) for ``path`` loaded in a fresh context, with axe started on it; the report lists what went
    wrong while loading it."""
    local = urlparse(site_url).netloc
    context = browser.new_context()
    page = context.new_page()
    report = {"console": [], "foreign": [], "failed": [], "bytes": 0, "axe": [], "scrolling": []}
    page.on("console", lambda m: m.type == "error" and report["console"].append(m.text))
    page.on("pageerror", lambda e: report["console"].append(f"uncaught: {e}"))
    page.on("request", lambda q: urlparse(q.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(q.url).netloc != local and report["foreign"].append(q.url))
    page.on("requestfailed", lambda q: report["failed"].append(f"{q.url} ({q.failure})"))

    def finished(request):
        response = request.response()
        if response is not None and response.status >= 400:
            report["failed"].append(f"{request.url} (HTTP {response.status})")
        if urlparse(request.url).scheme in ("http", "https"):
            sizes = request.sizes()
            report["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("requestfinished", finished)
    response = page.goto(site_url + path, wait_until="load")
    if response is None or response.status != 200:
        report["failed"].append(f"{path}: HTTP {response and response.status}")
    page.wait_for_load_state("networkidle")
    page.evaluate(axe_script)
    page.evaluate(REMEMBER_COLOURS)
    page.evaluate("() => { window.axeResults = axe.run({ resultTypes: ['violations'] }); }")  # not awaited here
    return page, report


def _finish(page, report):
    """Wait for axe's results on ``page``, then widen it to a laptop's screen, measure its code blocks and close."""
    for violation in page.evaluate("window.axeResults.then((results) => results.violations)"):
        if violation["impact"] in AXE_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            report["axe"].append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    page.set_viewport_size(LAPTOP)
    report["scrolling"] = page.evaluate(SCROLLING_CODE)
    page.context.close()


# The pages in two halves (every other page), each its own pytest-xdist unit (conftest.py): the two workers share
# the minutes axe takes, instead of one of them running it alone at the end of the suite.
HALVES = [pytest.param(i, id=f"pages-{i + 1}-of-2",
                       marks=pytest.mark.xdist_group(f"tests/browser/test_pages.py-built-site-{i + 1}"))
          for i in range(2)]


@pytest.fixture(scope="module", params=HALVES)
def reports(request, browser, site_url, site_dir):
    """{page path: report} for every page of one half."""
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    reports, running = {}, collections.deque()
    for path in site_pages(site_dir)[request.param::2]:
        page, reports[path] = _open(browser, site_url, path, axe_script)
        running.append((page, reports[path]))
        if len(running) > AXE_AT_ONCE:
            _finish(*running.popleft())
    while running:
        _finish(*running.popleft())
    return reports


def _problems(reports, key):
    return [f"/{path}: {item}" for path, report in reports.items() for item in report[key]]


def test_pages_were_found(reports, site_dir):
    pages = site_pages(site_dir)
    assert "" in pages and len(pages) >= 10, pages
    assert set(reports) <= set(pages) and len(reports) >= len(pages) // 2, sorted(reports)  # one half of them


def test_every_page_loads_without_console_errors(reports):
    problems = _problems(reports, "console") + _problems(reports, "failed")
    assert not problems, "\n".join(problems)


def test_no_page_requests_another_host(reports):
    problems = _problems(reports, "foreign")
    assert not problems, "\n".join(problems)


def test_no_page_transfers_more_than_1_5_mb_on_first_load(reports):
    heavy = {path: r["bytes"] for path, r in reports.items() if r["bytes"] > MAX_FIRST_LOAD_BYTES}
    assert not heavy, f"pages over {MAX_FIRST_LOAD_BYTES} bytes on first load: {heavy}"
    assert all(r["bytes"] > 10_000 for r in reports.values()), "a page loaded almost nothing: is it served?"


def test_axe_finds_no_serious_or_critical_violation(reports):
    problems = _problems(reports, "axe")
    assert not problems, "\n".join(problems)


def test_no_code_block_scrolls_sideways_on_a_laptop(reports):
    scrolling = [f"/{path}: {line!r}" for path, report in reports.items() for line in report["scrolling"]]
    summary = f"{len(scrolling)} code blocks scroll sideways at 1280x900 (their longest line):"
    assert not scrolling, "\n".join([summary, *scrolling])
