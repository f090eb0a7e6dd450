"""The sign-in backends by the path settings name and every open session stores (Django signs a
session out whose backend path is no longer listed): they live in ``coordination.accounts``."""

from coordination.accounts.auth_backends import (  # noqa: F401
    PortalModelBackend,
    PortalObjectPermissionBackend,
)
