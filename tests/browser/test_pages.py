"""Every page of the built site, visited once in a fresh browser context: it loads with no console error, asks
no host but the local server for anything, transfers at most 1.5 MB on first load, and axe-core finds no
serious or critical accessibility violation. The pages are found in the build, so new pages are covered."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import require_chromium, site_pages

MAX_FIRST_LOAD_BYTES = 1_500_000
AXE_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def reports(browser, site_url, site_dir):
    """{page path: report} for every page; each report lists what went wrong while loading it."""
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    local = urlparse(site_url).netloc
    reports = {}
    for path in site_pages(site_dir):
        context = browser.new_context()
        page = context.new_page()
        report = {"console": [], "foreign": [], "failed": [], "bytes": 0, "axe": []}
        page.on("console", lambda m, r=report: m.type == "error" and r["console"].append(m.text))
        page.on("pageerror", lambda e, r=report: r["console"].append(f"uncaught: {e}"))
        page.on("request", lambda q, r=report: urlparse(q.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(q.url).netloc != local and r["foreign"].append(q.url))
        page.on("requestfailed", lambda q, r=report: r["failed"].append(f"{q.url} ({q.failure})"))

        def finished(request, r=report):
            response = request.response()
            if response is not None and response.status >= 400:
                r["failed"].append(f"{request.url} (HTTP {response.status})")
            if urlparse(request.url).scheme in ("http", "https"):
                sizes = request.sizes()
                r["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

        page.on("requestfinished", finished)
        response = page.goto(site_url + path, wait_until="load")
        if response is None or response.status != 200:
            report["failed"].append(f"{path}: HTTP {response and response.status}")
        page.wait_for_load_state("networkidle")
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in AXE_IMPACTS:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                report["axe"].append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        reports[path] = report
        context.close()
    return reports


def _problems(reports, key):
    return [f"/{path}: {item}" for path, report in reports.items() for item in report[key]]


def test_pages_were_found(reports):
    assert "" in reports and len(reports) >= 10, sorted(reports)


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
