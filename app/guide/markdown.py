"""Markdown to HTML for help content and announcements: no raw HTML, no inline styles.

markdown-it-py with its "js-default" preset escapes any HTML in the source and
refuses javascript: and data: links. Two things are adjusted for the page's
Content-Security-Policy and for Bootstrap: table cell alignment becomes a class
instead of a style attribute, and tables scroll in their own box on a phone.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

ALIGN_CLASSES = {
    "text-align:left": "text-start",
    "text-align:center": "text-center",
    "text-align:right": "text-end",
}


def _no_inline_styles(state) -> None:
    # The CSP refuses style attributes; markdown-it sets one on aligned table cells.
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrGet("style"):
            style = str(token.attrGet("style"))
            token.attrs.pop("style", None)
            token.attrSet("class", ALIGN_CLASSES.get(style, ""))
        elif token.type == "table_open":
            token.attrSet("class", "table table-sm table-bordered")


def _table_open(renderer, tokens, idx, options, env) -> str:
    return '<div class="table-responsive">' + renderer.renderToken(tokens, idx, options, env)


def _table_close(renderer, tokens, idx, options, env) -> str:
    return renderer.renderToken(tokens, idx, options, env) + "</div>"


def _build() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.core.ruler.push("no_inline_styles", _no_inline_styles)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


_MD = _build()


def render_markdown(text: str) -> Markup:
    """Markdown source as safe HTML (any HTML in the source is shown as text)."""
    return Markup(_MD.render(text))  # nosec B704 - markdown-it escapes the source (html=False)
