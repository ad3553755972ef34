"""Fixtures for the browser tests: the built site on a local server, and one headless Chromium for the session.

The browser is Debian's ``chromium`` (``/usr/bin/chromium``) driven by Playwright from PyPI; no browser is ever
downloaded. Without it the tests fail in CI (``CI`` set) and are skipped elsewhere, naming how to install it.
"""

import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

import pytest

# `built_site`, the one strict build of the site per test session, comes from the root conftest.py.

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 390, "height": 844}  # a phone's screen in CSS pixels (issue 17)
INSTALL_HINT = "install it with `python3 dev.py test` or `apt-get install --no-install-recommends chromium`"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def require_chromium():
    if CHROMIUM.is_file():
        return
    message = f"Debian's Chromium is missing at {CHROMIUM}: {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as a static host such as GitHub Pages does: text compressed with gzip when the
    browser accepts it, and a missing page answered with the theme's 404.html and status 404."""

    COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}
    compressed = {}  # path -> (modification time, gzip of the file): each file is compressed once, not per request

    def log_message(self, *args):
        pass

    def _send_bytes(self, status, body, content_type, gzipped=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = path / "index.html"
        if not path.is_file():
            return self._send_bytes(404, (Path(self.directory) / "404.html").read_bytes(), "text/html; charset=utf-8")
        if path.suffix in self.COMPRESS and "gzip" in self.headers.get("Accept-Encoding", ""):
            mtime = path.stat().st_mtime_ns
            if self.compressed.get(path, (None,))[0] != mtime:
                self.compressed[path] = mtime, gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            body = self.compressed[path][1]
            return self._send_bytes(200, body, self.guess_type(str(path)), gzipped=True)
        return super().send_head()


@pytest.fixture(scope="session")
def site_dir(request):
    """The built site: ``built_site``, or an existing build named by ``BUILT_SITE`` (quick reruns)."""
    if os.environ.get("BUILT_SITE"):
        return Path(os.environ["BUILT_SITE"])
    return request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def site_url(site_dir):
    """Base URL (ending in /) of the built site served on 127.0.0.1 at a free port."""
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses its sandbox as root
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page in a fresh context (empty cache, no stored palette) that may use the clipboard."""
    context = browser.new_context(base_url=site_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


def site_pages(site_dir):
    """URL paths of every page of the built site (relative, '' for the home page), found in the build itself."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def pages_with(site_dir, marker):
    """The pages of the built site whose HTML contains ``marker``."""
    return [p for p in site_pages(site_dir) if marker in (site_dir / p / "index.html").read_text(encoding="utf8")]
