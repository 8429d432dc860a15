"""The site's own error pages (templates/403.html, 404.html, 410.html, 500.html).

Django's 403 and 404 views render with the request, so the templates get the site's
context; its 500 view renders with an empty context, so the server error handler here
gives the page the settings-based context it needs and nothing that touches the database.
"""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    template = loader.get_template(template_name)
    context = {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": settings.NEWSROOM_SITE_URL}
    return HttpResponseServerError(template.render(context))
