"""search: the full-text index of articles and its queries, alias-aware.

Lives here: the index (PostgreSQL GIN tsvectors, SQLite FTS5), its writes (services.py,
called explicitly by workflow and the loaders, never by signals) and the queries
(query.py) that the website and the API call.

May import: core, entities, articles.
"""
