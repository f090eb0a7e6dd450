from django.conf import settings


def portal(request):
    """What every page's layout needs: the country, the user's role and unread count."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "country_name": settings.NCM_COUNTRY_NAME,
        "user_role": user.role if signed_in else None,
        "unread_notifications": (
            user.notifications.filter(read_at__isnull=True).count() if signed_in else 0
        ),
    }
