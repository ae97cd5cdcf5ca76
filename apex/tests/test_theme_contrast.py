"""The theme's text colours meet WCAG AA (4.5:1) on the backgrounds they are written on, light and dark."""

import functools
import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "apex.css"

# (text, background) as the stylesheets pair them.
TEXT_PAIRS = [
    ("fg", "bg"),
    ("fg", "card"),
    ("muted", "bg"),
    ("muted", "card"),
    ("link", "bg"),
    ("link", "card"),
    ("ok-text", "card"),  # a diff's added value
    ("ok-text", "changed"),  # ... on a changed row
    ("bad-text", "changed"),  # ... and the value it replaced
    ("ok-text", "soft-warn"),  # "Sent" in the race day's offline queue
    ("bad-text", "card"),
    ("bad-text", "bad-bg"),  # "Not saved" in the offline queue
    ("badge-ok-fg", "badge-ok"),
    ("badge-warn-fg", "badge-warn"),
]


@functools.cache
def _themes() -> dict[str, dict[str, str]]:
    css = CSS.read_text()
    light = css[: css.index("@media (prefers-color-scheme: dark)")]
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    dark = dark[: dark.index("}\n}")]

    def colours(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\b", block))

    base = colours(light)
    return {"light": base, "dark": {**base, **colours(dark)}}


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#767676", "#fff"), 2) == 4.54  # the lightest grey that passes on white
    themes = _themes()
    assert themes["dark"]["card"] != themes["light"]["card"]  # the dark block was read


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("text,background", TEXT_PAIRS)
def test_text_colours_pass_aa(theme, text, background):
    colours = _themes()[theme]
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{theme}: --{text} on --{background} is {ratio:.2f}:1"
