"""mentions: the entity linker, which proposes what editors confirm.

Lives here: the pure mention finder (finder.py: folding, Aho-Corasick matching, short-form
resolution, candidate names), suggestions (suggestions.py: runs the finder over an article
and records suggested mentions and name candidates, built once per "aliases" version) and
MentionCandidate.

May import: core, entities, articles.
"""
