"""The site on a phone (390x844, issue 17): no element of any page is wider than the screen, no figure is shown at
less than half its drawn size, display math scrolls inside its own box with a visible cue, and a tap on a figure
opens it full size. (That no code block scrolls sideways on a laptop, 1280x900, is checked in test_pages.py, on the
visit that checks each page.) Pages are found in the build, so new pages are covered."""

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import site_pages

PHONE = {"width": 390, "height": 844}

# Every element of the article that sticks out of the screen and is not inside a box that scrolls or clips it; every
# figure with its shown and drawn widths; every display formula with its box and whether it has a scroll cue.
MEASURE = """async () => {
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


@pytest.fixture(scope="module")
def phone_reports(browser, site_url, site_dir):
    context = browser.new_context(base_url=site_url, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    reports = {}
    for path in site_pages(site_dir):
        page.goto(path, wait_until="load")
        with contextlib.suppress(PlaywrightTimeout):  # KaTeX renders a batch per frame (assets/javascripts/katex.js)
            page.wait_for_function("() => !document.querySelector('.arithmatex:not(:has(.katex))')", timeout=10_000)
        reports[path] = page.evaluate(MEASURE)
    context.close()
    return reports


def test_no_page_is_wider_than_a_phone(phone_reports):
    problems = [f"/{path}: page {r['pageWidth']} px wide on a {r['vw']} px screen; {r['wide']}"
                for path, r in phone_reports.items() if r["pageWidth"] > r["vw"] or r["wide"]]
    assert not problems, "\n".join(problems)


def test_no_figure_is_shown_at_less_than_half_its_drawn_size_on_a_phone(phone_reports):
    figures = [(path, f) for path, r in phone_reports.items() for f in r["figures"]]
    assert len(figures) >= 20, f"only {len(figures)} figures found"
    small = [f"/{path}: {f['src']} shown {f['shown']:.0f} px wide of its {f['drawn']} px"
             for path, f in figures if f["drawn"] == 0 or f["shown"] < 0.5 * f["drawn"]]
    assert not small, "\n".join(small)


def test_display_math_scrolls_inside_its_own_box_with_a_cue(phone_reports):
    boxes = [(path, m) for path, r in phone_reports.items() for m in r["math"]]
    assert any(m["scrolls"] for _, m in boxes), "no formula is wider than a phone: is the math rendered?"
    problems = [f"/{path}: {m['text']!r} (box ends at {m['right']:.0f} px, overflow {m['overflow']}, cue {m['cue']})"
                for path, m in boxes
                if m["right"] > PHONE["width"] + 1 or (m["scrolls"] and (m["overflow"] != "auto" or not m["cue"]))]
    assert not problems, "\n".join(problems)


def test_a_tap_on_a_figure_opens_it_full_size(browser, site_url, site_dir):
    path = next(p for p in site_pages(site_dir) if "figures/" in (site_dir / p / "index.html").read_text("utf8"))
    context = browser.new_context(base_url=site_url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(path, wait_until="load")
    figure = page.locator("article a.figure-zoom").first
    href = figure.get_attribute("href")
    figure.scroll_into_view_if_needed()
    figure.tap()
    shown = page.locator(".glightbox-container .gslide.current img")
    shown.wait_for(timeout=10_000)
    assert shown.get_attribute("src").endswith(href.split("/")[-1])
    assert page.evaluate("location.pathname").endswith(path), "the tap left the page instead of opening the lightbox"
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached", timeout=10_000)
    context.close()
