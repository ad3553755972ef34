"""The built site: every Python block on it is executed, it requests nothing from other hosts, and the
article's every H2/H3 heading has a home."""

import re
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from tests.page_fences import python_fences

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ARTICLE = ROOT / "tests" / "data" / "article.md"  # the article this site expands (shared/seed/article.md)

# Python blocks that appear on the site but are deliberately not executed, as {"page.md": count, ...},
# each with a comment saying why. Starts empty: every block runs.
NOT_EXECUTED = {}


def markdown_pages():
    return sorted(p for p in DOCS.rglob("*.md") if "notebooks" not in p.parts)


def test_every_python_block_on_the_site_is_executed(built_site):
    mismatches = []
    for page in markdown_pages():
        rel = page.relative_to(DOCS)
        html = built_site / (rel.parent if rel.stem == "index" else rel.with_suffix("")) / "index.html"
        shown = len(re.findall(r'<div class="language-python highlight"', html.read_text(encoding="utf8")))
        executed = len(python_fences(page.read_text(encoding="utf8")))
        if shown != executed + NOT_EXECUTED.get(str(rel), 0):
            mismatches.append(f"{rel}: {shown} Python blocks on the page, {executed} executed")
    assert not mismatches, "\n".join(mismatches)


class _Resources(HTMLParser):
    """Collects every URL a page loads by itself: src attributes and stylesheet/icon/preload links."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
            "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "preconnect"}:
            self.urls.append(attrs["href"])


_SCRIPT_URL = re.compile(r"""["'](https?://[^"'\s]+\.m?js)["']""")


def test_built_site_loads_nothing_from_another_host(built_site):
    offenders = []
    for html in built_site.rglob("*.html"):
        parser = _Resources()
        parser.feed(html.read_text(encoding="utf8"))
        offenders += [f"{html.relative_to(built_site)}: {u}" for u in parser.urls if urlparse(u).netloc]
        # inline scripts that would import a module from elsewhere (nbconvert's mermaid loader does)
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html.read_text(encoding="utf8"), re.S):
            offenders += [f"{html.relative_to(built_site)}: {u}" for u in _SCRIPT_URL.findall(script)]
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?([^'\")\s]+)", css.read_text(encoding="utf8")):
            if urlparse(url).netloc:
                offenders.append(f"{css.relative_to(built_site)}: {url}")
    assert not offenders, "\n".join(offenders[:20])


def _headings(text, levels):
    return [m.group(2).strip() for m in re.finditer(r"^(#{2,3}) (.+)$", text, re.M) if len(m.group(1)) in levels]


def test_every_article_heading_has_a_home(built_site):
    article = ARTICLE.read_text(encoding="utf8")
    article = re.sub(r"```.*?```", "", article, flags=re.S)  # '#' comments inside code are not headings
    site_headings = set()
    for html in built_site.rglob("*.html"):
        for m in re.finditer(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html.read_text(encoding="utf8"), re.S):
            site_headings.add(html_unescape(re.sub(r"<[^>]+>|&para;|¶", "", m.group(1))).strip())
    missing = [h for h in _headings(article, (2, 3)) if h not in site_headings]
    assert not missing, f"article headings without a page or section on the site: {missing}"
