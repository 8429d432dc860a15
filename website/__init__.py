"""website: what readers see.

Lives here: public views (articles.py, entities.py, search.py, urls.py under the "site"
namespace), feeds, sitemaps, structured data (JSON-LD, OpenGraph) and the server-side
page cache kept under the "public" version token (page_cache.py). Reads only.

May import: core, entities, articles, mentions, search.
"""
