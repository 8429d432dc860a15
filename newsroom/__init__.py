"""newsroom: the project: split settings, root URLs, WSGI. Nothing else lives here.

May import: any layer (it wires them together); nothing imports it.
"""
