"""The portal's one PDF renderer (WeasyPrint). Its URL fetcher reaches only the portal's own
static files: no file:// path, no network address, no redirect is ever followed."""

import hashlib
import logging
import mimetypes
import os
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ncm_portal import background

logger = logging.getLogger(__name__)

BASE_URL = "https://portal.invalid/"  # a name that resolves nowhere; used only to anchor paths
STATIC_PREFIX = "/static/"


class BlockedResource(ValueError):
    pass


def static_file_for(url: str) -> str | None:
    """The local path of a portal static file named by ``url``, or None for anything else."""
    parsed = urlparse(url)
    if (
        parsed.scheme != "https"
        or parsed.netloc != urlparse(BASE_URL).netloc
        or not parsed.path.startswith(STATIC_PREFIX)
        or ".." in parsed.path
        or parsed.query
    ):
        return None
    name = parsed.path[len(STATIC_PREFIX) :]
    return finders.find(name) or _collected(name)


def _collected(name: str) -> str | None:
    """A file collected under STATIC_ROOT (hashed names in production)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if os.path.isfile(path) else None


class PortalURLFetcher(URLFetcher):
    """Serves ``/static/...`` from disk and refuses everything else, before any I/O."""

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise BlockedResource(f"not a portal resource: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render_pdf(template: str, context: dict) -> bytes:
    """The template rendered as a PDF. Between its three long steps (the HTML, the layout of the
    pages, the PDF written) the process gives the CPU to any page waiting for it."""
    html = render_to_string(template, context)
    background.yield_cpu()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render()
    background.yield_cpu()
    return document.write_pdf()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
