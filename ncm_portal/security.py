"""Where a request comes from, for login throttling.

The client address is ``REMOTE_ADDR`` unless the deployment names the header its own reverse
proxy sets (``NCM_CLIENT_IP_HEADER``, e.g. ``X-Forwarded-For``) and how many proxies of its own
stand in front of the portal (``NCM_TRUSTED_PROXY_COUNT``). Only the address the nearest trusted
proxy saw is believed: anything a client writes further left in the header is ignored, so a
forged header cannot dodge the throttle.
"""

import ipaddress

from django.conf import settings


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "NCM_CLIENT_IP_HEADER", "")
    if not header:
        return remote
    hops = [hop for hop in request.META.get(_meta_key(header), "").split(",") if hop.strip()]
    count = max(1, getattr(settings, "NCM_TRUSTED_PROXY_COUNT", 1))
    if len(hops) < count:
        return remote
    return _valid(hops[-count]) or remote


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
