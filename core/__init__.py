"""core: the bottom layer, the helpers every other layer uses.

Lives here: partial dates (dates.py), page URLs by slug (links.py), name folding across
scripts and spellings (text.py, search_keys.py), model building blocks (models.py), the
audit log (models.AuditLog, audit.audit_record), security and caching headers
(middleware.py), and named version tokens that database triggers keep (versions.py).

May import: Django and the standard library only. Knows no other Newsroom app; apps
declare what core.versions watches from their own AppConfig.
"""
