"""editorial: the newsroom's own tools.

Lives here: the Django admin (admin/: articles with their workflow actions, entities and
merges, suggestion review, history and users), the workflow views, revision history and
diffs, the dashboard and preview (views.py, diff.py), the newsroom time-zone middleware,
and management commands for people (create_demo_editor, import_article). Writes go through
workflow.

May import: core, entities, articles, mentions, search, workflow, website.
"""
