from decimal import Decimal

from django import template

from racing.laps import format_lap

register = template.Library()


@register.filter
def lap(value: Decimal | None) -> str:
    """A lap time as timing screens show it: 32.451, or 1:02.004 from a minute on."""
    return format_lap(value)
