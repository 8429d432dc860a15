"""Public entity pages: a person, organization, event or place and its public articles."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render

from articles.selectors import page_number, page_of
from core.links import slug_path
from website import entity_pages as selectors
from website import structured_data
from website.page_cache import public_page


@public_page
def entity_detail(request, slug, kind):
    entity = selectors.entity_for_page(slug, kind)
    if entity is None:
        raise Http404("No such page.")
    if entity.merged_into_id is not None:
        return redirect(entity.merged_into, permanent=True)
    page = page_of(selectors.article_list_mentioning(entity), page_number(request.GET.get("page")))
    details = selectors.entity_page(entity)
    url = request.build_absolute_uri(entity.get_absolute_url())
    json_ld = structured_data.entity_node(
        entity,
        absolute=request.build_absolute_uri,
        aliases=details.aliases,
        roles=details.roles,
        participants=details.participants,
    )
    return render(
        request,
        "entities/entity_detail.html",
        {
            "entity": entity,
            "details": details,
            "aliases": [a for a in details.aliases if a.name != entity.name],
            "page": page,
            "canonical_url": url,
            # Reversed once here: the template shows each twice.
            "feed_rss_url": slug_path(f"site:{entity.kind}-feed-rss", entity.slug),
            "feed_atom_url": slug_path(f"site:{entity.kind}-feed-atom", entity.slug),
            "json_ld": structured_data.to_script_json(json_ld),
            "opengraph": structured_data.opengraph(
                title=entity.name,
                description=entity.description,
                url=url,
                site_name=settings.NEWSROOM_SITE_NAME,
                kind="profile" if entity.kind == "person" else "website",
            ),
        },
    )
