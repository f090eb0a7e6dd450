"""The portal's one PDF renderer (WeasyPrint). Its URL fetcher reaches only the portal's own
static files: no file:// path, no network address, no redirect is ever followed."""

import hashlib
import logging
import mimetypes
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

BASE_URL = "https://portal.invalid/"  # a name that resolves nowhere; used only to anchor paths
STATIC_PREFIX = "/static/"


class BlockedResource(ValueError):
    pass


def portal_url_fetcher(url: str, timeout: int = 10, ssl_context=None, **kwargs) -> dict:
    """Serve ``/static/...`` from the portal's own files; refuse everything else."""
    parsed = urlparse(url)
    if (
        parsed.scheme == "https"
        and parsed.netloc == urlparse(BASE_URL).netloc
        and parsed.path.startswith(STATIC_PREFIX)
        and ".." not in parsed.path
    ):
        name = parsed.path[len(STATIC_PREFIX) :]
        path = finders.find(name) or _collected(name)
        if path:
            with open(path, "rb") as handle:
                data = handle.read()
            return {
                "string": data,
                "mime_type": mimetypes.guess_type(path)[0] or "application/octet-stream",
                "redirected_url": url,
            }
    logger.warning("PDF renderer refused to fetch %s", url[:200])
    raise BlockedResource(f"not a portal resource: {url[:200]}")


def _collected(name: str) -> str | None:
    """A file collected under STATIC_ROOT (hashed names in production)."""
    import os

    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if os.path.isfile(path) else None


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=portal_url_fetcher).write_pdf()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
