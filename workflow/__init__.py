"""workflow: every write, one path per kind of change (Zulip's "actions").

Lives here: article services (articles.py: permission, conditional version UPDATE,
revision, audit entry, then the search index and mention suggestions in the same
transaction), the editor's review decisions (review.py), entity merges (merge.py), article
import (imports.py) and fixture loading (loading.py). The admin, the API and the commands
all call these; none writes models on its own.

May import: core, entities, articles, mentions, search.
"""
