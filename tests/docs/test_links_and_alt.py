"""The built site's internal links and anchors all resolve, every image says what it shows, and every tutorial
named in ``extra.notebooks`` carries its "Run it yourself" section. Checked on the built HTML of every page."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

ROOT = Path(__file__).resolve().parents[2]
SKIP_SCHEMES = ("mailto", "javascript", "data", "tel")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append(attrs[key])
        if tag == "img":
            self.images.append(attrs)


_PARSED = {}


def _parse(path):
    if path not in _PARSED:
        page = _Page()
        page.feed(path.read_text(encoding="utf8"))
        _PARSED[path] = page
    return _PARSED[path]


def _target(site, url):
    path = site / unquote(urlparse(url).path).lstrip("/")
    return path / "index.html" if path.is_dir() else path


def test_no_broken_internal_link_or_anchor(built_site):
    broken = []
    for html in sorted(built_site.rglob("*.html")):
        base = "/" + html.relative_to(built_site).as_posix()
        for link in _parse(html).links:
            parts = urlparse(link)
            if parts.netloc or parts.scheme in SKIP_SCHEMES:
                continue
            url = urljoin(base, link)
            target = _target(built_site, url)
            if not target.is_file():
                broken.append(f"{base}: {link} (no file {target.relative_to(built_site)})")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(f"{base}: {link} (no anchor #{parts.fragment})")
    assert not broken, "\n".join(broken[:50])


def test_links_were_checked(built_site):
    pages = list(built_site.rglob("index.html"))
    assert len(pages) >= 10 and sum(len(_parse(p).links) for p in pages) > 100


def test_every_image_says_what_it_shows(built_site):
    problems = []
    for html in sorted(built_site.rglob("*.html")):
        for img in _parse(html).images:
            src, alt = img.get("src", ""), (img.get("alt") or "").strip()
            name = Path(urlparse(src).path).stem
            if not alt:
                problems.append(f"{html.relative_to(built_site)}: {src[:80]} has no alt text")
            elif "figures/" in src and (len(alt.split()) < 6 or alt.lower() in (name.lower(), "figure", "image")):
                problems.append(f"{html.relative_to(built_site)}: {src} alt text {alt!r} does not say what it shows")
    assert not problems, "\n".join(problems)


# "Left: ...", "(right)", "on the left", "the right panel": where a panel sits, which phones change.
PANEL_PLACE = re.compile(r"\b(?:left|right)\s*[:)]|\((?:left|right)\b|\bon the (?:left|right)\b"
                         r"|\b(?:left|right)(?:-hand)? panel", re.I)


def test_alt_text_of_a_stacked_figure_does_not_say_left_or_right(built_site):
    """A figure with a narrow variant shows its panels stacked on a phone: its alt text names each panel by what
    it shows, not by where it sits on a wide screen."""
    problems = []
    for html in sorted(built_site.rglob("*.html")):
        for img in _parse(html).images:
            src, alt = img.get("src", ""), img.get("alt") or ""
            narrow = built_site / "figures" / f"{Path(urlparse(src).path).stem}.narrow.svg"
            if "figures/" in src and narrow.is_file() and (m := PANEL_PLACE.search(alt)):
                problems.append(f"{html.relative_to(built_site)}: {src} alt text says {m[0]!r}: {alt[:100]}")
    assert not problems, "\n".join(problems)


def test_every_tutorial_has_run_it_yourself(built_site):
    from mkdocs.config import load_config

    notebooks = load_config(str(ROOT / "mkdocs.yml"))["extra"]["notebooks"]
    missing = []
    for page, notebook in notebooks.items():
        if not (ROOT / "docs" / page).is_file() or not (ROOT / "docs" / notebook).is_file():
            missing.append(f"{page} -> {notebook}: no such file in docs/")
            continue
        html = (built_site / page.removesuffix(".md").removesuffix("/index") / "index.html").read_text("utf8")
        colab = r'href="https://colab\.research\.google\.com/github/[^"]+/blob/[^"]+/docs/' + re.escape(notebook)
        if 'id="run-it-yourself"' not in html or not re.search(colab, html):
            missing.append(f"{page}: no Run it yourself section with an Open in Colab link to {notebook}")
    for notebook in sorted((ROOT / "docs" / "notebooks").glob("*.ipynb")):
        if notebook.relative_to(ROOT / "docs").as_posix() not in notebooks.values():
            missing.append(f"{notebook.name}: no tutorial page names it in extra.notebooks")
    assert not missing, "\n".join(missing)


def _nav_pages(nav):
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_pages(value)
        else:
            yield value


def test_learning_path_links_every_page_in_site_order():
    from mkdocs.config import load_config

    order = [p for p in _nav_pages(load_config(str(ROOT / "mkdocs.yml"))["nav"])
             if p.endswith(".md") and not p.startswith(("notebooks/", "getting-started/")) and p not in (
                 "index.md", "conclusion.md")]
    text = (ROOT / "docs" / "getting-started" / "index.md").read_text(encoding="utf8")
    path = text[text.index("## Learning Path"):]
    path = path[:path.index("\n##", 3)]
    linked = []
    for link in re.findall(r"\]\(\.\./([^)#]+\.md)", path):
        if link not in linked and not link.startswith("notebooks/"):
            linked.append(link)
    assert [p for p in order if p not in linked] == [], "pages of the site missing from the learning path"
    assert linked == [p for p in order if p in linked], "the learning path is not in the site's order"
