from django.conf import settings


def site(request):
    """Site name and absolute base URL for templates."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
    }
