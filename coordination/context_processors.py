from django.conf import settings


def portal(request):
    """What every page's layout needs: the country's name and the user's role."""
    user = getattr(request, "user", None)
    return {
        "country_name": settings.NCM_COUNTRY_NAME,
        "user_role": user.role if user is not None and user.is_authenticated else None,
    }
