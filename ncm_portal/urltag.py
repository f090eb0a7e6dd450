"""``{% url %}`` for every template, remembering the addresses whose arguments are all written in
the template: the menu alone names some thirty views on every page, and reversing each took
tens of microseconds. An address built from a variable (``{% url 'x' body.pk %}``) is reversed
as Django does, every time.

A remembered address is keyed by everything reversing reads besides the arguments: the URL
configuration (the settings' and the request's) and the script prefix the portal is served
under."""

from django import template
from django.conf import settings
from django.template import Variable
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf

register = template.Library()

_ADDRESSES: dict = {}


def _written(expression) -> bool:
    """Whether a tag argument is a literal with no filter ('name', 3), not a variable."""
    if expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.lookups is None)


class FixedURLNode(URLNode):
    def __init__(self, node: URLNode):
        super().__init__(node.view_name, node.args, node.kwargs, node.asvar)
        self.fixed = all(_written(e) for e in (node.view_name, *node.args, *node.kwargs.values()))

    def render(self, context):
        if not self.fixed or self.asvar:  # a variable, or assigned: reversed as Django does
            return super().render(context)
        key = (
            settings.ROOT_URLCONF,
            get_urlconf(),
            get_script_prefix(),
            self.view_name.var,
            tuple(str(a.var) for a in self.args),
            tuple((k, str(v.var)) for k, v in sorted(self.kwargs.items())),
            context.autoescape,
        )
        found = _ADDRESSES.get(key)
        if found is None:
            found = _ADDRESSES[key] = super().render(context)
        return found


@register.tag
def url(parser, token):
    """Django's ``{% url %}``; an address whose arguments are all literals is reversed once."""
    return FixedURLNode(django_url(parser, token))
