"""MkDocs hook: what the site's search (the theme's, lunr in the browser) indexes, so that a word finds the page a
reader means and its excerpts read as text.

* Math is left out of the index: it is TeX until KaTeX renders it in the browser, so an excerpt would show
  ``\\(h_t\\)``. Each formula (pymdownx.arithmatex's ``<span/div class="arithmatex">``, and ``$...$`` in notebook
  Markdown cells) is marked ``data-search-exclude``, which the theme's indexer skips; the page is unchanged.
* Code is left out too (code blocks, notebook cells with their copy-button text, and notebook outputs): the same
  included snippets appear on many pages, and a page whose code calls ``relu`` forty times outranked the page
  that explains ReLU. Prose, headings and inline code are indexed.
* ``extra.search_topics`` in mkdocs.yml names what a page is about: {page: [word, ...]}. The words become the
  page's tags, which the theme's search weighs above titles and text (and shows nowhere without its tags
  plugin), so a search for "backpropagation" lists the Backward Pass page before the section "Backpropagation
  through time" of the recurrent networks page.

The theme's indexer still parses the whole page, code and all (its highlighting is thousands of tags): that was
some 40 % of a rebuild while serving. So the page it reads has the skipped ``<pre>`` blocks taken out, and the page
written keeps them (``on_page_context``: one handler before the indexer, one after it).
"""

import logging
import re

from mkdocs.plugins import CombinedEvent, event_priority

log = logging.getLogger("mkdocs.hooks.search")

_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">')
# Code blocks, notebook cells and outputs are <pre> elements; a notebook cell's copy button holds a copy of its code
# and a "Copied!" notice. (The mark goes on elements that hold no element of their own kind: the theme's indexer
# stops skipping at the first closing tag of the same name.)
_CODE = re.compile(r'<(pre|clipboard-copy)\b|<div class="clipboard-copy-txt"')
_NOTEBOOK_MARKDOWN = re.compile(
    r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(?=<div class="[^"]*\bjp-Cell\b|\Z)', re.S)
_TEX = re.compile(r"\$\$.+?\$\$|\$[^$\n<>]+?\$|\\\(.+?\\\)|\\\[.+?\\\]", re.S)
_TEXT = re.compile(r"(>)([^<]+)")
_SKIPPED_PRE = re.compile(r"<pre data-search-exclude\b.*?</pre>", re.S)


def _exclude_tex(match):
    text = _TEX.sub(lambda m: f"<span data-search-exclude>{m[0]}</span>", match[2])
    return match[1] + text


def on_files(files, config):
    for src in config.extra.get("search_topics") or {}:
        if files.get_file_from_path(src) is None:
            log.warning("extra.search_topics in mkdocs.yml names %r, which is not a page of the site", src)
    return files


def on_page_markdown(markdown, page, config, files):
    topics = (config.extra.get("search_topics") or {}).get(page.file.src_uri)
    if topics:
        page.meta["tags"] = [*page.meta.get("tags", []), *topics]
    return markdown


def on_page_content(html, page, config, files):
    html = _ARITHMATEX.sub(r'<\1 class="arithmatex" data-search-exclude>', html)
    html = _CODE.sub(lambda m: f"{m[0]} data-search-exclude", html)
    if page.file.src_uri.endswith(".ipynb"):
        html = _NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + _TEXT.sub(_exclude_tex, m[2]), html)
    return html


@event_priority(100)  # before the theme's search plugin reads page.content
def _without_code_for_the_index(context, page, config, nav):
    page.shown_content = page.content
    page.content = _SKIPPED_PRE.sub("<pre></pre>", page.content)
    return context


@event_priority(-100)  # after it, before the template writes the page
def _with_code_again(context, page, config, nav):
    page.content = page.shown_content
    return context


on_page_context = CombinedEvent(_without_code_for_the_index, _with_code_again)
