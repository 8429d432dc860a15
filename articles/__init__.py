"""articles: the story and everything editors curate on it.

Lives here: Article with the one definition of public (`Article.objects.public()`,
`public_q()`), Section, Mention (an article's link to an entity), Quote, Statistic,
Correction, Revision (the article's history), the body format (body.py), plain-text and
ninjs parsing (importing.py) and read queries (selectors.py). Writes live in workflow.

May import: core, entities.
"""
