"""MkDocs hook: how a page shows the site's figures (``figures/<name>.svg``, drawn by ``hooks/figures.py``).

Every figure becomes a link that opens it full size in a lightbox (GLightbox, self-hosted in
``docs/assets/vendor/glightbox``; ``docs/assets/javascripts/figures.js`` starts it). The ``<img>`` gets its drawn
size (``width``/``height``, so the page does not move when it loads, and ``--figure-width``, which the stylesheet
reads): ``docs/assets/stylesheets/extra.css`` never shows a figure at less than about half that size, and one too
wide for the column at that size scrolls sideways inside its own box. A figure whose panels sit side by side has a
narrow variant with them stacked (``<name>.narrow.svg``): a ``<picture>`` sends it to screens as narrow as a phone.
Only pages that show a figure load the lightbox.
"""

import html
import re

from mkdocs.utils import get_relative_url

PHONE = "(max-width: 44.9375em)"  # the theme's own breakpoint below which the navigation is a drawer
_IMG = re.compile(r'<img\b(?P<attrs>[^>]*?\bsrc="(?P<src>(?:[^"]*/)?figures/(?P<name>[\w.-]+?)\.svg)"[^>]*?)\s*/?>')
_SIZE = re.compile(r'width="([\d.]+)pt" height="([\d.]+)pt"')


def drawn_size(files, uri):
    """(width, height) in CSS pixels of the SVG at ``uri`` in ``files`` (a point is 4/3 of a pixel), or None."""
    file = files.get_file_from_path(uri)
    if file is None:
        return None
    head = file.content_bytes[:3000].decode("utf8", "replace")
    m = _SIZE.search(head)
    return (round(float(m[1]) * 4 / 3), round(float(m[2]) * 4 / 3)) if m else None


def _figure(match, files):
    name, src, attrs = match["name"], match["src"], match["attrs"]
    size = drawn_size(files, f"figures/{name}.svg")
    if size is None:
        return match[0]
    style = f"--figure-width: {size[0]}px"
    narrow = drawn_size(files, f"figures/{name}.narrow.svg")
    source = ""
    if narrow is not None:
        narrow_src = src[: -len(".svg")] + ".narrow.svg"
        style += f"; --narrow-width: {narrow[0]}px"
        source = (f'<source media="{PHONE}" srcset="{html.escape(narrow_src)}" '
                  f'width="{narrow[0]}" height="{narrow[1]}">')
    img = f'<img{attrs} width="{size[0]}" height="{size[1]}" style="{style}">'
    return (f'<a class="figure-zoom" href="{html.escape(src)}" data-type="image">'
            f"<picture>{source}{img}</picture></a>")


def on_page_content(html_text, page, config, files):
    return _IMG.sub(lambda m: _figure(m, files), html_text)


def on_post_page(output, page, config):
    if 'class="figure-zoom"' not in output:
        return output
    url = lambda path: html.escape(get_relative_url(path, page.url))  # noqa: E731
    head = f'<link rel="stylesheet" href="{url("assets/vendor/glightbox/glightbox.min.css")}">\n'
    # Deferred, after the theme's own deferred bundle (figures.js uses its document$).
    scripts = (f'<script defer src="{url("assets/vendor/glightbox/glightbox.min.js")}"></script>\n'
               f'<script defer src="{url("assets/javascripts/figures.js")}"></script>\n')
    output = output.replace("</head>", head + "</head>", 1)
    at = output.rfind("</body>")
    return output[:at] + scripts + output[at:]
