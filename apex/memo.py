"""``{% memo %}``: a fragment rendered once per process for each set of values it shows.

    {% memo user.pk request.racer.name switcher_racers slots csrf_token switcher_next %}
      ...markup that reads only those values...
    {% endmemo %}

The page header (links, the account, the racer switcher with a form or two
per racer) is the same markup on every page a racer opens, and rendering it
cost more than the queries of most pages. The fragment is a pure function
of the values named before ``slots``, so each process keeps the markup
under those values (no shared cache, nothing to invalidate: a renamed
racer or another user is another key) and renders it again only for a new
key. Keep the list complete: a value the block reads and the key does not
name would be shown to a request it does not belong to.

A block keyed on a single value that is None is rendered every time and
not kept: a form gives its key while unbound and None once it holds what
was typed.

The values after ``slots`` differ on every request (the CSRF token, the
page's own path): the block is rendered with a placeholder for each, and
each request's own value, escaped, is put in its place. A slot must be
written plainly (``{{ switcher_next }}``, ``{% csrf_token %}``), not
through a filter that would change the placeholder.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

from django import forms, template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Per block: a few hundred accounts' headers per process, a few KB each.
MAX_ENTRIES = 512


_PLAIN = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Hashable:
    """A hashable key from a template value: dicts, lists and query dicts by their contents.

    In their own order, unsorted: the same values built in another order are
    another key, which costs a render, never a wrong page.
    """
    kind = type(value)
    if kind in _PLAIN:  # the common cases first, without an ABC check each
        return value
    if kind is dict:
        return tuple((k, freeze(v)) for k, v in value.items())
    if kind is list or kind is tuple:
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping):
        items = value.lists() if hasattr(value, "lists") else value.items()
        return tuple((k, freeze(v)) for k, v in items)
    if isinstance(value, list | tuple):  # a lazily built list too
        return tuple(freeze(v) for v in value)
    if isinstance(value, str | int | float | bool):
        return value
    # Anything else (a model, a lazy object) would be keyed by identity, not by what it shows.
    raise TypeError(f"{{% memo %}} keys on plain values; got {type(value).__name__}.")


class MemoNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression], slots: list[str]) -> None:
        self.nodelist = nodelist
        self.keys = keys
        self.placeholders = {name: f"\x00memo-slot:{name}\x00" for name in slots}
        self.rendered: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()

    def render(self, context: Context) -> SafeString:
        values = [expression.resolve(context) for expression in self.keys]
        if values == [None]:  # a single key of None: nothing to keep (a bound form, say)
            return self.nodelist.render(context)
        key = freeze(values)
        with self.lock:
            markup = self.rendered.get(key)
            if markup is not None:
                self.rendered.move_to_end(key)
        if markup is None:
            with context.push(**self.placeholders):
                markup = self.nodelist.render(context)
            with self.lock:
                self.rendered[key] = markup
                if len(self.rendered) > MAX_ENTRIES:
                    self.rendered.popitem(last=False)
        for name, placeholder in self.placeholders.items():
            if placeholder in markup:
                markup = markup.replace(placeholder, conditional_escape(str(context.get(name, ""))))
        return mark_safe(markup)  # noqa: S308  (the template's own output, each slot escaped)


@register.filter
def form_key(form: forms.BaseForm) -> tuple[str, ...] | None:
    """What an unbound form's fields show, as a ``{% memo %}`` key; None when it cannot tell.

    An unbound form's markup follows from its class and, per field, its
    initial value (by ``repr``: 1.0 and 1.00 are different texts), label,
    help text, flags and its widget's own state (attributes, choices, input
    type, format), each by ``repr``. A bound form shows what was
    typed and its errors, and a field of model choices reads its options
    from the database: both are rendered every time (None).
    """
    if form.is_bound:
        return None
    parts = [
        f"{type(form).__module__}.{type(form).__qualname__}",
        repr((form.prefix, form.auto_id, form.label_suffix, form.use_required_attribute)),
    ]
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            return None
        shown = (
            form.get_initial_for_field(field, name),
            field.label,
            field.label_suffix,
            field.help_text,
            field.required,
            field.disabled,
            field.localize,
            field.show_hidden_initial,
            getattr(field, "template_name", None),  # Django 5: a field may name its own template
            type(field.widget).__qualname__,
            vars(field.widget),  # its attributes, choices, input type, format
        )
        parts.append(f"{name}={shown!r}")
    return tuple(parts)


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    bits = token.split_contents()[1:]
    if "slots" in bits:
        at = bits.index("slots")
        bits, slots = bits[:at], bits[at + 1 :]
    else:
        slots = []
    if not bits:
        raise template.TemplateSyntaxError("{% memo %} needs at least one value to key on.")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits], slots)
