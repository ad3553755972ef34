"""Every page of the built site, visited once in a fresh browser context (in two halves: HALVES): it loads
with no console error, asks no host but the local server for anything, transfers at most 1.5 MB on first load,
axe-core finds no serious or critical accessibility violation, and every colour of code and math has enough
contrast with its background, in the light and the dark palette; on the same visit widened to a laptop's
1280x900 (issue 13), no code block scrolls sideways; and on the same visit turned into a phone, 390x844 (issue 17),
no element is wider than the screen, no figure is shown at less than half its drawn size and display math scrolls
inside its own box with a cue. The pages are found in the build, so new pages are covered."""

import collections
import contextlib
import re
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import PHONE, pages_with, require_chromium, site_pages

MAX_FIRST_LOAD_BYTES = 1_500_000
AXE_IMPACTS = ("serious", "critical")
LAPTOP = {"width": 1280, "height": 900}
# The phone, as Playwright's context options viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True set
# it up (these Chrome DevTools Protocol commands), applied to a page already open: media queries, <picture> sources and
# resize observers follow, as when a phone is turned sideways. (Checked against such a context on every page: the
# same measurements.)
PHONE_EMULATION = [
    ("Emulation.setDeviceMetricsOverride", {"width": PHONE["width"], "height": PHONE["height"], "deviceScaleFactor": 2,
                                            "mobile": True, "screenWidth": PHONE["width"],
                                            "screenHeight": PHONE["height"]}),
    ("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1}),
]
# The page's fonts and images loaded.
LOADED = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null
    : new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
}"""
# Every image loaded, after the frame that follows a change of viewport (a <picture> may pick another source).
IMAGES_LOADED = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.all([...document.images].map((img) => img.complete ? null
    : new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));
}"""
# KaTeX renders a batch of formulas per frame (assets/javascripts/katex.js): all of them rendered.
MATH_RENDERED = "() => !document.querySelector('.arithmatex:not(:has(.katex))')"
MIN_CONTRAST = {False: 4.5, True: 3.0}  # WCAG AA (axe's color-contrast): normal text, large text
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
# Code blocks (highlighted tokens) and rendered math (KaTeX) hold thousands of elements that share a few colours, and
# axe's color-contrast rule takes seconds to check them one by one: it skips them (CONTRAST_ELSEWHERE), and
# TOKEN_COLOURS lists every distinct (text colour, background) pair there instead, checked in Python
# (_token_colours) as axe checks them. Every other rule, and color-contrast everywhere else, still runs on the whole
# page.
TOKENS = "pre, pre *, .katex, .katex *"
CONTRAST_ELSEWHERE = f"""() => axe.configure({{ rules: [{{ id: "color-contrast", selector: "*:not({TOKENS})" }}] }})"""
# Even so, axe walks every element of the page for some rules (region; color-contrast's stacking grid), and code
# tokens are most of them (5,161 elements inside <pre> on architectures/rnn/). So while axe runs, each highlighted
# code block holds its text as one text node instead of its token spans, and gets the very same nodes back as soon
# as axe's results are in, before anything else reads the page (axe alone on architectures/rnn/: 2.9 s -> 2.0 s).
# That tests no less: a token is a bare <span> with a class, which no axe rule judges but color-contrast (off there,
# see above), and region (every content in a landmark) finds the same text in the same place; in the same box, in
# the same monospace font, the text has the same size, so what scrolls still scrolls. (Checked on every page of the
# site: axe's full results, passes included, per rule and element, are the same with and without, but for the
# token spans' own entries among region's passes; and a box made to scroll around a code block is still reported.)
# A code block holding anything else (another element, an attribute other than class) is left whole for axe and
# reported, failing the axe test: the reasoning above would have to be made anew for it. KaTeX's spans are left
# alone: as one text node a formula lays out otherwise (some would scroll) and axe's results change.
CODE_BLOCKS = "pre > code, pre:not(:has(> code))"  # a notebook cell's tokens are right inside its <pre>
RUN_AXE = f"""() => {{
  const kept = [], others = [];
  for (const block of document.querySelectorAll("{CODE_BLOCKS}")) {{
    const other = [...block.querySelectorAll("*")].find((el) => el.tagName !== "SPAN"
      || [...el.attributes].some((attribute) => attribute.name !== "class"));
    if (other) {{
      others.push(other.outerHTML.slice(0, 120));
      continue;
    }}
    kept.push([block, [...block.childNodes]]);
    block.replaceChildren(block.textContent);
  }}
  // started in a task of its own, not awaited here: most of axe's work is synchronous
  window.axeResults = new Promise((start) => setTimeout(start)).then(() => axe.run({{ resultTypes: ["violations"] }}))
    .finally(() => kept.forEach(([block, nodes]) => block.replaceChildren(...nodes)));
  return others;
}}"""
# Every element of a code block or of rendered math that holds text: its colour (with its alpha, and the opacity
# of it and its ancestors, laid over its background) and its background (the background colours of it and its
# ancestors laid over each other, on white), as sRGB channels; one entry per distinct pair, with an example.
TOKEN_COLOURS = """(tokens) => {
  const channels = (text) => {
    const m = text.match(/^rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:,? \\/? ?([\\d.]+))?\\)$/);
    if (!m) throw new Error(`a colour that is not rgb(): ${text}`);
    return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const shown = new Map([[null, [[255, 255, 255, 1], 1]]]);  // element -> [background shown, opacity]
  const look = (el) => {
    if (!shown.has(el)) {
      const [below, opacity] = look(el.parentElement), style = getComputedStyle(el);
      const own = channels(style.backgroundColor);
      shown.set(el, [own[3] ? over(own, below) : below, opacity * +style.opacity]);
    }
    return shown.get(el);
  };
  const pairs = new Map();
  for (const el of document.querySelectorAll(tokens)) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join("").trim();
    if (!text) continue;
    const style = getComputedStyle(el), [back, opacity] = look(el), fg = channels(style.color);
    fg[3] *= opacity;
    const size = parseFloat(style.fontSize), large = size >= 24 || (+style.fontWeight >= 700 && size >= 18.66);
    const color = over(fg, back).slice(0, 3), background = back.slice(0, 3);
    const key = `${color}|${background}|${large}`;
    if (!pairs.has(key)) {
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
      pairs.set(key, { color, background, large, example: `${name} ${JSON.stringify(text.slice(0, 30))}` });
    }
  }
  return [...pairs.values()];
}"""
# What the math and notebook checks read: KaTeX's output, and a notebook page's cells, outputs and links.
CONTENT = """() => ({
  katex: document.querySelectorAll(".katex").length, katexErrors: document.querySelectorAll(".katex-error").length,
  rawTex: (document.querySelector("article")?.innerText.match(/\\\\(frac|sqrt)/) || [""])[0],
  cells: document.querySelectorAll(".jp-CodeCell").length,
  outputs: [...document.querySelectorAll(".jp-OutputArea-output")].map((output) => output.innerText),
  ipynb: document.querySelectorAll("a[href$='.ipynb']").length,
  colab: document.querySelectorAll("a[href^='https://colab.research.google.com/github/']").length,
})"""
# No formula left as TeX in the article (KaTeX renders a batch per frame, also in notebooks' Markdown cells).
NO_RAW_TEX = "() => !/\\\\(frac|sqrt)/.test(document.querySelector('article').innerText)"
# The dark palette, at once (no colour transitions: the colours are read right after).
DARK = """() => {
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition: none !important; }";
  document.head.append(still);
  document.body.setAttribute("data-md-color-scheme", "slate");
}"""
# On the phone: every element of the article that sticks out of the screen and is not inside a box that scrolls or
# clips it; every figure with its shown and drawn widths; every display formula with its box and whether it has a
# scroll cue.
PHONE_MEASURE = """async () => {
  const vw = document.documentElement.clientWidth;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll("article *")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !el.checkVisibility()) continue;
    if ((r.right > vw + 1 || r.left < -1) && !clipped(el)) {
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
      wide.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    }
  }
  const figures = [...document.querySelectorAll("article img[src*='figures/']")].map((img) => ({
    src: img.currentSrc.split("/").pop(), shown: img.getBoundingClientRect().width, drawn: img.naturalWidth,
    right: img.closest("a, p, div").getBoundingClientRect().right }));
  const math = [...document.querySelectorAll("article div.arithmatex")].map((box) => {
    const style = getComputedStyle(box);
    return { right: box.getBoundingClientRect().right, scrolls: box.scrollWidth > box.clientWidth + 1,
             overflow: style.overflowX, cue: style.backgroundImage.includes("gradient"),
             text: box.textContent.slice(0, 60) };
  });
  return { vw, pageWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5), figures, math };
}"""
# The longest line of every code block that scrolls sideways (measured with the blocks the browser skips off
# screen rendered too).
SCROLLING_CODE = """() => [...document.querySelectorAll("pre > code")].filter((code) => {
    code.style.contentVisibility = "visible";
    return code.checkVisibility() && code.scrollWidth > code.clientWidth + 1;
  }).map((code) => code.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a)))"""


def _open(browser, site_url, path, axe_script):
    """(page, report) for ``path`` loaded in a fresh context (its fonts, images and math too), with axe started
    on it; the report lists what went wrong while loading it."""
    local = urlparse(site_url).netloc
    context = browser.new_context()
    page = context.new_page()
    report = {"path": path, "console": [], "foreign": [], "failed": [], "bytes": 0, "loading": True, "axe": [],
              "scrolling": [], "token_colours": {}, "phone": {}, "content": {}}
    page.on("console", lambda m: m.type == "error" and report["console"].append(m.text))
    page.on("pageerror", lambda e: report["console"].append(f"uncaught: {e}"))
    page.on("request", lambda q: urlparse(q.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(q.url).netloc != local and report["foreign"].append(q.url))
    page.on("requestfailed", lambda q: report["failed"].append(f"{q.url} ({q.failure})"))

    def finished(request):
        response = request.response()
        if response is not None and response.status >= 400:
            report["failed"].append(f"{request.url} (HTTP {response.status})")
        if report["loading"] and urlparse(request.url).scheme in ("http", "https"):
            sizes = request.sizes()
            report["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("requestfinished", finished)
    response = page.goto(site_url + path, wait_until="load")
    if response is None or response.status != 200:
        report["failed"].append(f"{path}: HTTP {response and response.status}")
    page.evaluate(LOADED)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(MATH_RENDERED, timeout=10_000)
    page.evaluate(axe_script)
    page.evaluate(REMEMBER_COLOURS)
    page.evaluate(CONTRAST_ELSEWHERE)
    for other in page.evaluate(RUN_AXE):
        report["axe"].append(f"a code block holds more than bare token spans, so axe checked it whole: {other}")
    return page, report


def _finish(page, report, math_checked):
    """Wait for the network to fall silent on ``page`` (its first load is all in the report then) and for axe's
    results, and read the colours of its code and math and what the math and notebook checks need (on the pages in
    ``math_checked``, once their TeX is rendered); then widen it to a laptop's screen and measure its code
    blocks; then turn it into a phone and measure it; last, read the colours of its code and math in the dark
    palette, and close it."""
    page.wait_for_load_state("networkidle")  # long passed, mostly: axe ran meanwhile
    for violation in page.evaluate("window.axeResults.then((results) => results.violations)"):
        if violation["impact"] in AXE_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            report["axe"].append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    report["token_colours"]["light"] = page.evaluate(TOKEN_COLOURS, TOKENS)
    if report["path"] in math_checked:
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(NO_RAW_TEX, timeout=10_000)
    report["content"] = page.evaluate(CONTENT)
    page.set_viewport_size(LAPTOP)
    report["scrolling"] = page.evaluate(SCROLLING_CODE)
    report["loading"] = False  # what the phone loads now (a <picture>'s narrow figure) is not first load
    devtools = page.context.new_cdp_session(page)
    for command, params in PHONE_EMULATION:
        devtools.send(command, params)
    page.evaluate(IMAGES_LOADED)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(MATH_RENDERED, timeout=10_000)
    report["phone"] = page.evaluate(PHONE_MEASURE)
    page.evaluate(DARK)
    report["token_colours"]["dark"] = page.evaluate(TOKEN_COLOURS, TOKENS)
    page.context.close()


# The pages in two halves (every other page), each its own pytest-xdist unit (conftest.py): the two workers share
# the minutes axe takes, instead of one of them running it alone at the end of the suite.
HALVES = [pytest.param(i, id=f"pages-{i + 1}-of-2",
                       marks=pytest.mark.xdist_group(f"tests/browser/test_pages.py-built-site-{i + 1}"))
          for i in range(2)]


def _math_checked(site_dir):
    """The pages whose math is checked: the first two with math, and the last notebook page."""
    return pages_with(site_dir, 'class="arithmatex"')[:2] + pages_with(site_dir, '<div class="jupyter-wrapper"')[-1:]


SAY_EVERY_S = 20  # a half takes a minute or two with no test ending: a progress line this often


@pytest.fixture(scope="module", params=HALVES)
def reports(request, browser, site_url, site_dir, say):
    """{page path: report} for every page of one half."""
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    reports, running = {}, collections.deque()
    math_checked = set(_math_checked(site_dir))
    paths = site_pages(site_dir)[request.param::2]
    said = time.monotonic()

    def finish_oldest():
        nonlocal said
        _finish(*running.popleft(), math_checked)
        done = len(reports) - len(running)
        if time.monotonic() - said >= SAY_EVERY_S or done == len(paths):
            said = time.monotonic()
            say(f"browser checks, half {request.param + 1} of 2: {done} of {len(paths)} pages checked")

    for path in paths:
        page, reports[path] = _open(browser, site_url, path, axe_script)
        running.append((page, reports[path]))
        if len(running) > AXE_AT_ONCE:
            finish_oldest()
    while running:
        finish_oldest()
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


def _luminance(channels):
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in channels)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    """WCAG 2's contrast ratio of two sRGB colours, truncated to two decimals as axe-core does."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return int((high + 0.05) / (low + 0.05) * 100) / 100


def _rgb(channels):
    return tuple(round(v) for v in channels)


def _token_colours(reports, site_dir, palette):
    """(pages with code or math whose colours were not read, [(colour, background, line)] for each pair in
    ``reports``' code and math under WCAG AA in ``palette``)."""
    unread = [path for path, report in reports.items() if not report["token_colours"][palette]
              and re.search(r'<pre|class="arithmatex"', (site_dir / path / "index.html").read_text(encoding="utf8"))]
    low = []
    for path, report in reports.items():
        for pair in report["token_colours"][palette]:
            ratio, needed = _contrast(pair["color"], pair["background"]), MIN_CONTRAST[pair["large"]]
            if ratio < needed:
                colour, back = _rgb(pair["color"]), _rgb(pair["background"])
                low.append((colour, back, f"/{path}: {pair['example']}: rgb{colour} on rgb{back}, contrast {ratio} < "
                                          f"{needed}"))
    return unread, low


def test_code_and_math_have_enough_contrast_in_the_light_palette(reports, site_dir):
    unread, low = _token_colours(reports, site_dir, "light")
    assert not unread, f"no colours read from the code or math of {unread}"
    assert not low, "\n".join(line for *_, line in low)


def test_code_and_math_have_enough_contrast_in_the_dark_palette(reports, site_dir):
    unread, low = _token_colours(reports, site_dir, "dark")
    assert not unread, f"no colours read from the code or math of {unread}"
    assert not low, "\n".join(line for *_, line in low)


def test_no_page_is_wider_than_a_phone(reports):
    phones = {path: report["phone"] for path, report in reports.items()}
    problems = [f"/{path}: page {r['pageWidth']} px wide on a {r['vw']} px screen; {r['wide']}"
                for path, r in phones.items() if r["pageWidth"] > r["vw"] or r["wide"]]
    assert not problems, "\n".join(problems)


def _figures_in_build(site_dir, paths):
    """How many figures (an <img> of figures/) the article of each page in ``paths`` holds, read from the build."""
    counts = {}
    for path in paths:
        html = (site_dir / path / "index.html").read_text(encoding="utf8")
        article = html[html.find("<article"):html.find("</article>")]
        counts[path] = len(re.findall(r'<img\s[^>]*\bsrc="[^"]*figures/', article))
    return counts


def test_no_figure_is_shown_at_less_than_half_its_drawn_size_on_a_phone(reports, site_dir):
    figures = [(path, f) for path, r in reports.items() for f in r["phone"]["figures"]]
    on_site = sum(_figures_in_build(site_dir, site_pages(site_dir)).values())
    assert on_site >= 20, f"only {on_site} figures on the site"
    expected = _figures_in_build(site_dir, reports)
    measured = collections.Counter(path for path, _ in figures)
    assert all(measured[path] == n for path, n in expected.items()), f"figures measured {measured}, built {expected}"
    small = [f"/{path}: {f['src']} shown {f['shown']:.0f} px wide of its {f['drawn']} px"
             for path, f in figures if f["drawn"] == 0 or f["shown"] < 0.5 * f["drawn"]]
    assert not small, "\n".join(small)


def test_display_math_scrolls_inside_its_own_box_with_a_cue(reports):
    boxes = [(path, m) for path, r in reports.items() for m in r["phone"]["math"]]
    assert any(m["scrolls"] for _, m in boxes), "no formula is wider than a phone: is the math rendered?"
    problems = [f"/{path}: {m['text']!r} (box ends at {m['right']:.0f} px, overflow {m['overflow']}, cue {m['cue']})"
                for path, m in boxes
                if m["right"] > PHONE["width"] + 1 or (m["scrolls"] and (m["overflow"] != "auto" or not m["cue"]))]
    assert not problems, "\n".join(problems)


def test_math_renders_with_katex(reports, site_dir):
    assert pages_with(site_dir, 'class="arithmatex"'), "no page has math"
    for path in [p for p in _math_checked(site_dir) if p in reports]:
        content = reports[path]["content"]
        assert content["katex"], f"/{path}: no formula rendered by KaTeX"
        assert content["katexErrors"] == 0, f"/{path}: KaTeX could not parse some math"
        assert not content["rawTex"], f"/{path}: raw TeX left on the page"


def test_notebook_pages_render_their_outputs(reports, site_dir):
    notebooks = pages_with(site_dir, '<div class="jupyter-wrapper"')
    assert len(notebooks) >= 6, notebooks
    for path in [p for p in notebooks if p in reports]:
        content = reports[path]["content"]
        assert content["cells"] >= 3, f"/{path}: {content['cells']} code cells"
        printed = "\n".join(content["outputs"])
        assert len(content["outputs"]) >= 2 and printed.strip(), f"/{path}: no outputs rendered"
        assert "Traceback" not in printed and "oneDNN" not in printed and "absl" not in printed, (
            f"/{path}: an error or TensorFlow's start-up logs are shown:\n{printed[:2000]}")
        assert content["ipynb"] >= 1, f"/{path}: no download link"
        assert content["colab"] == 1, f"/{path}"
