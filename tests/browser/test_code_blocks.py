"""Code blocks off screen are not rendered until they come near it (``content-visibility: auto``, see
hooks/code_blocks.py), and the height reserved for them is their real height: the page does not move when they
appear. Checked at a phone's width on the page with the most code blocks, found in the build."""

import re

PHONE = {"width": 412, "height": 823}


def _page_with_most_code(site_dir):
    pages = sorted(site_dir.rglob("index.html"))
    best = max(pages, key=lambda p: len(re.findall(r'style="--code-lines: ', p.read_text(encoding="utf8"))))
    rel = best.parent.relative_to(site_dir).as_posix()
    return "" if rel == "." else rel + "/"


def test_off_screen_code_is_skipped_and_keeps_its_real_height(browser, site_url, site_dir):
    path = _page_with_most_code(site_dir)
    context = browser.new_context(base_url=site_url, viewport=PHONE)
    page = context.new_page()
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    blocks = page.locator("pre > code[style*='--code-lines']:visible")
    assert blocks.count() >= 10, f"/{path}: {blocks.count()} code blocks"
    before = page.evaluate("""() => [...document.querySelectorAll("pre > code[style*='--code-lines']")]
        .filter((code) => code.checkVisibility())
        .map((code) => ({ height: code.getBoundingClientRect().height,
                          skipped: !!code.firstElementChild  // a token's <span>: not rendered while skipped
                                   && !code.firstElementChild.checkVisibility({ contentVisibilityAuto: true }) }))""")
    assert sum(b["skipped"] for b in before) >= 5, f"/{path}: the browser renders the off-screen code blocks"
    after = page.evaluate("""async () => {
        const heights = [];
        for (const code of document.querySelectorAll("pre > code[style*='--code-lines']")) {
          if (!code.checkVisibility()) continue;
          code.scrollIntoView();
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          heights.push(code.getBoundingClientRect().height);
        }
        return heights;
      }""")
    context.close()
    assert len(after) == len(before)
    jumps = [(i, round(b["height"], 1), round(a, 1)) for i, (b, a) in enumerate(zip(before, after, strict=True))
             if abs(b["height"] - a) > 1.5]
    assert not jumps, f"/{path}: (block, reserved height, real height) differ: {jumps}"
