"""A GB/T 2260 select's options in one pass: through the template engine, the check-in page's
34 provinces, their cities and counties cost 5 ms of a page everyone opens every morning."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

SELECTED = mark_safe(" selected")


@register.simple_tag
def region_options(options, selected):
    """<option>s of `options` ((code, name) pairs), the one whose code is `selected` chosen."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, SELECTED if code == chosen else "", name) for code, name in options),
    )
