"""How the docs tests see a page: the same Markdown the site renders, with every include expanded.

* ``expand(text)`` runs pymdownx.snippets with the settings from ``mkdocs.yml`` (so a missing file or
  section fails here exactly as in the build) and lifts the bodies of content tabs and admonitions out of their
  indentation, so that fences inside ``=== "Tab"`` or ``!!! note`` are found and executed too.
* ``python_fences(text)`` lists the Python fences the docs tests run, in page order, each with the
  ``{ .text .output }`` block that follows it, if any.
* ``outputs_match(expected, actual)`` compares printed output: text exactly, integers exactly, and decimals
  within a small tolerance (training on another CPU is not bit-for-bit reproducible).
"""

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_LANGS = ("py", "python", "python3")
_BLOCK_MARKER = re.compile(r"^(\s*)(===\+?|!!!|\?\?\?\+?)\s")


@functools.cache
def _snippets_markdown():
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    options = dict(config["mdx_configs"]["pymdownx.snippets"])
    return markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options})


def _lift_indented_blocks(lines):
    """Dedent the bodies of tabs/admonitions by 4 spaces, keeping line numbers (markers become blank)."""
    out = list(lines)
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(out):
            m = _BLOCK_MARKER.match(line)
            if not m:
                continue
            indent = len(m.group(1))
            out[i] = ""
            j = i + 1
            while j < len(out) and (not out[j].strip() or len(out[j]) - len(out[j].lstrip()) >= indent + 4):
                if out[j].strip():
                    out[j] = out[j][: indent] + out[j][indent + 4:]
                j += 1
            changed = True
            break
    return out


def expand(text):
    """The page's Markdown with includes expanded and tab/admonition bodies dedented (same line count
    before includes)."""
    md = _snippets_markdown()
    md.reset()
    lines = md.preprocessors["snippet"].run(text.split("\n"))
    return "\n".join(_lift_indented_blocks(lines))


def parser():
    from markdown_it import MarkdownIt

    class ExpandingMarkdownIt(MarkdownIt):
        def parse(self, src, env=None):
            return super().parse(expand(src), env)

    return ExpandingMarkdownIt("commonmark")


def fence_info(info):
    from pytest_markdown_docs.plugin import parse_superfences_block_info

    parts = parse_superfences_block_info(info)
    return (parts[0] if parts else None), set(parts[1:])


def python_fences(text):
    """[(start_line, output_index or None, expected_output or None)] for each executed fence, in page order.

    ``start_line`` matches pytest-markdown-docs' ``FenceTestDefinition.start_line``; ``output_index`` counts
    output blocks from the top of the page (they are never inside includes, so the count holds in the source).
    """
    tokens = parser().parse(text)
    fences = [t for t in tokens if t.type == "fence" and t.map]
    result, outputs_seen = [], 0
    for i, token in enumerate(fences):
        lang, options = fence_info(token.info)
        if lang == "text" and ".output" in options:
            outputs_seen += 1
            continue
        if lang not in PYTHON_LANGS or "notest" in options:
            continue
        nxt = fences[i + 1] if i + 1 < len(fences) else None
        follows = nxt is not None and _only_blank_between(token, nxt, tokens)
        if follows and fence_info(nxt.info)[0] == "text" and ".output" in fence_info(nxt.info)[1]:
            result.append((token.map[0] + 1, outputs_seen, nxt.content))
        else:
            result.append((token.map[0] + 1, None, None))
    return result


def _only_blank_between(a, b, tokens):
    ia, ib = tokens.index(a), tokens.index(b)
    return ib == ia + 1


_OUTPUT_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*\{[^}\n]*\.output[^}\n]*\}[ \t]*\n"
                           r"(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S)


def replace_output(text, index, new_output):
    """Return ``text`` with the body of its ``index``-th output block replaced by ``new_output``."""
    matches = list(_OUTPUT_FENCE.finditer(text))
    if index >= len(matches):
        raise ValueError(f"the page has {len(matches)} output blocks; asked to replace block {index}")
    m = matches[index]
    indent = m.group("indent")
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in new_output.rstrip("\n").split("\n"))
    return text[: m.start("body")] + body + text[m.end("body"):]


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _normalise(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def outputs_match(expected, actual, rel=0.02, abs_=0.015):
    expected, actual = _normalise(expected), _normalise(actual)
    if _NUMBER.sub("#", expected) != _NUMBER.sub("#", actual):
        return False
    for e, a in zip(_NUMBER.findall(expected), _NUMBER.findall(actual), strict=True):
        if re.fullmatch(r"[-+]?\d+", e) or re.fullmatch(r"[-+]?\d+", a):
            if e.lstrip("+") != a.lstrip("+"):
                return False
        elif abs(float(e) - float(a)) > max(abs_, rel * max(abs(float(e)), abs(float(a)))):
            return False
    return True
