"""Code blocks carry their line count (hooks/code_blocks.py), from which the stylesheet reserves their height while
the browser skips rendering them off screen. A wrong count would make the page jump when a block comes into view;
tests/browser/test_code_blocks.py checks the heights in Chromium."""

import html
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("code_blocks_hook", ROOT / "hooks" / "code_blocks.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

BLOCK = ('<div class="language-python highlight"><pre><span></span><code>'
         '<span class="kn">import</span> <span class="nn">numpy</span>\n\n'
         '<span class="n">x</span> = 1\n</code></pre></div>')


def _on_page(content):
    return hook.on_page_content(content, page=None, config=None, files=None)


def test_a_highlighted_block_gets_its_line_count_and_keeps_its_code():
    out = _on_page(BLOCK)
    assert '<code style="--code-lines: 3">' in out
    assert out.replace(' style="--code-lines: 3"', "") == BLOCK


def test_every_block_on_a_page_is_counted_separately():
    other = BLOCK.replace("python", "text output").replace("\n\n", "\n")
    out = _on_page(f"<p>Text with <code>inline code</code>.</p>\n{BLOCK}\n<p>Then</p>\n{other}")
    assert re.findall(r'--code-lines: (\d+)', out) == ["3", "2"]
    assert "<p>Text with <code>inline code</code>.</p>" in out, "inline code is not a block"


def test_notebook_cells_are_left_alone():
    # nbconvert's cells have no <code> element and wrap their lines: a line count would not be their height.
    cell = '<div class="highlight-ipynb hl-python"><pre><span></span><span class="n">x</span> = 1\n</pre></div>'
    assert _on_page(cell) == cell


_PAGE_BLOCK = re.compile(
    r'<div class="[^"]*\bhighlight\b[^"]*">\s*<pre\b[^>]*>(?:<span></span>)?<code([^>]*)>(.*?)</code>', re.S)
_RUN_IT_YOURSELF = re.compile(r'<section class="run-it-yourself".*?</section>', re.S)  # the theme's, not the page's


def test_every_code_block_on_the_built_site_carries_its_real_line_count(built_site):
    problems, counted = [], 0
    for page in sorted(built_site.rglob("index.html")):
        text = _RUN_IT_YOURSELF.sub("", page.read_text(encoding="utf8"))
        for attrs, code in _PAGE_BLOCK.findall(text):
            lines = html.unescape(re.sub(r"<[^>]+>", "", code)).count("\n")
            found = re.search(r'--code-lines: (\d+)', attrs)
            if found is None or int(found.group(1)) != max(lines, 1):
                problems.append(f"{page.parent.relative_to(built_site)}: {lines} lines, attributes {attrs!r}")
            counted += 1
    assert counted > 100, f"only {counted} code blocks found: did the markup change?"
    assert not problems, "\n".join(problems[:20])
