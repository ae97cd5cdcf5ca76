from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from racing.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def idempotency_key_field() -> SafeString:
    """A hidden field with a new key each time the form is rendered: sending it twice saves once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
