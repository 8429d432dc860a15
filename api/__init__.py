"""api: the REST API under /api/v1/ (Django REST Framework).

Lives here: HTTP plumbing (http.py: renderers, conditional GET, request hygiene), auth and
tokens (auth.py, tokens.py), OpenAPI pieces (schema.py), paginators (pagination.py), one
module per resource (articles.py reads, article_writes.py editorial writes, review.py,
entities.py, sections.py, quotes.py, statistics.py), their serializers and filters, the
payload engine (article_rows.py), IPTC ninjs (ninjs.py) and the router (urls.py). Writes
go through workflow.

May import: core, entities, articles, mentions, search, workflow, website.
"""
