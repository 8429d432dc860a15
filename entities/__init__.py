"""entities: people, organizations, events and places, with their names and ties.

Lives here: Entity (one table, a `kind`, proxy models per kind), Alias, Role, Relation,
Participation, and services that touch these tables alone (derived columns).

May import: core.
"""
