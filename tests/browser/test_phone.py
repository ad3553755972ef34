"""The site on a phone (390x844, issue 17): a tap on a figure opens it full size. (That no element of any page is
wider than the screen, that no figure is shown at less than half its drawn size and that display math scrolls inside
its own box with a visible cue are checked in test_pages.py, on the visit that checks each page, turned into the
same phone; and there too that no code block scrolls sideways on a laptop, 1280x900.)"""

from tests.browser.conftest import PHONE, site_pages


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
