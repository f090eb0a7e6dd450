"""``{% can "app.what" obj as name %}``: the registered permission functions, for templates."""

from django import template

from ncm_portal import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, name: str, *objects) -> bool:
    """Whether the signed-in user may do ``name`` (to ``objects``): the function the view
    enforces, never a copy of its rule."""
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    return permissions.allowed(user, name, *objects)
