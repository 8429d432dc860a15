"""The editors' admin: articles and their workflow, entities and merges, suggestion
review, history and users. Importing the modules registers their ModelAdmins."""

from . import articles, entities, history, suggestions, tokens

__all__ = ["articles", "entities", "history", "suggestions", "tokens"]
