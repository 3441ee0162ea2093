from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def hours(value):
    """2.50 -> 2.5, 3.00 -> 3."""
    if value is None or value == "":
        return ""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else value
