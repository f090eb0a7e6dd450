"""Where a request comes from, for login throttling.

The client address is the connection's own (``REMOTE_ADDR``). Only when that connection comes
from one of the deployment's own reverse proxies (``NCM_TRUSTED_PROXIES``, a list of addresses
or CIDR networks) is the header the proxy writes (``NCM_CLIENT_IP_HEADER``, by default
``X-Forwarded-For``) read, from the right: proxies of our own are skipped and the first address
that is not one of them is the client. Whatever a client writes into the header itself is
ignored when it connects directly, and anything written further left than the nearest untrusted
hop is ignored behind the proxies, so a forged header cannot dodge the throttle.
"""

import functools
import ipaddress

from django.conf import settings


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def is_trusted_proxy(address: str | None) -> bool:
    """Whether a connection from ``address`` comes from one of the deployment's own proxies."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    networks = _networks(tuple(getattr(settings, "NCM_TRUSTED_PROXIES", ()) or ()))
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(remote):
        return remote
    header = getattr(settings, "NCM_CLIENT_IP_HEADER", "") or "X-Forwarded-For"
    hops = [hop.strip() for hop in request.META.get(_meta_key(header), "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        address = _valid(hop)
        if address is None:
            # Garbage nearer than any real client: the proxy did not write it; trust nothing.
            return remote
        if not is_trusted_proxy(address):
            return address
    return remote


def locked_out(request, original_response=None, credentials=None, *, after_code=False):
    """The page shown while a sign-in is paused (status 429), in the visitor's language;
    ``after_code`` when the wrong answers were two-step sign-in codes."""
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": minutes,
        "after_code": after_code,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def username(request, credentials=None) -> str:
    """E-mail addresses sign in in any case; failures count against the address, not its case."""
    source = credentials if credentials is not None else request.POST
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD, "") or "").strip().lower()
