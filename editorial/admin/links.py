"""Links from admin messages and warnings to admin pages."""

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString


def entity_links(entities) -> SafeString:
    """ "Name (kind)" links to each entity's admin page, for warnings."""
    return format_html_join(
        ", ",
        '<a href="{}">{}</a> ({})',
        (
            (
                reverse(f"admin:entities_{e.kind}_change", args=[e.pk]),
                e.name,
                e.get_kind_display().lower(),
            )
            for e in entities
        ),
    )
