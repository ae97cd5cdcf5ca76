"""Theory documents as HTML: headings, lists, paragraphs and bold, everything else escaped."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from advisor.search import highlighted

register = template.Library()

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


@register.filter
def theory_html(content: str, title: str = "") -> SafeString:
    """A small, safe subset of Markdown; a first heading equal to ``title`` is left out (the page shows it)."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            html.append(f"<{list_tag}>{''.join(f'<li>{_inline(i)}</li>' for i in items)}</{list_tag}>")
            items.clear()
            list_tag = ""

    for line in (content or "").splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if heading := _HEADING.match(stripped):
            flush()
            text = heading.group(2)
            if not html and text == title:
                continue
            level = min(len(heading.group(1)) + 1, 6)
            html.append(f"<h{level}>{_inline(text)}</h{level}>")
        elif list_item := _BULLET.match(line) or _NUMBERED.match(line):
            tag = "ul" if list_item.re is _BULLET else "ol"
            if paragraph or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append(list_item.group(1))
        elif items and line[:1].isspace():
            items[-1] = f"{items[-1]} {stripped}"  # a list item's continuation line
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text went through escape()


@register.filter
def snippet_html(snippet: str) -> SafeString:
    return highlighted(snippet)
