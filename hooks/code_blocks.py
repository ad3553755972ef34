"""MkDocs hook: lets the browser skip the rendering of code blocks that are off screen, without moving the page.

Syntax highlighting puts one ``<span>`` around every token: /architectures/rnn/ has some 4,700 of them. On a phone,
styling and laying them all out at load, and again each time the theme's scripts touch the page, blocked the main
thread for hundreds of milliseconds (Lighthouse's total blocking time). ``docs/assets/stylesheets/extra.css``
gives each code block ``content-visibility: auto``: the browser renders a block only when it comes near the
screen, and until then reserves the height that ``contain-intrinsic-size`` names.

This hook writes each block's line count into its ``<code>`` element (``style="--code-lines: N"``), from which the
stylesheet reserves exactly N line heights, the block's real height (code does not wrap: it scrolls sideways). So
the scrollbar, links to anchors and the table of contents see the page as it is once every block is rendered, and
nothing jumps when a block comes into view. A block the regular expression does not match (notebook cells, which
wrap) has no line count and is rendered as usual.
"""

import re

# A fenced block as pymdownx.highlight writes it: <div class="language-python highlight"><pre><span></span><code>...
_BLOCK = re.compile(r'(<div class="[^"]*\bhighlight\b[^"]*">\s*<pre\b[^>]*>(?:<span></span>)?<code)>(.*?</code>)', re.S)


def _with_line_count(match):
    code = match.group(2)
    lines = max(code.count("\n"), 1)  # Pygments ends every line, the last one too, with "\n"
    return f'{match.group(1)} style="--code-lines: {lines}">{code}'


def on_page_content(html, page, config, files):
    return _BLOCK.sub(_with_line_count, html)
