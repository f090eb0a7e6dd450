"""What every page's template may read: the portal's settings that the base layout shows."""

from django.conf import settings


def portal(request):
    """What every page's layout needs: the country, the user's role and unread count."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    unread = 0
    if signed_in:
        # Counted with the user at the start of the request (auth_backends), else here.
        unread = getattr(user, "unread_notification_count", None)
        if unread is None:
            unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "country_name": settings.NCM_COUNTRY_NAME,
        "user_role": user.role if signed_in else None,
        "unread_notifications": unread,
    }
