"""Who is asking: the client's address, behind exactly as many proxies as we trust.

Throttles (api.auth) and login lockouts (django-axes, AXES_CLIENT_IP_CALLABLE) key on this
one function, so they always agree on who a client is.
"""

import ipaddress

from django.conf import settings


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request) -> str | None:
    """The address of the client that reached our outermost trusted proxy.

    With NEWSROOM_TRUSTED_PROXIES = 0 (the default) it is REMOTE_ADDR, whatever headers the
    client sends. With n proxies in front of us, each appends the address it saw to
    X-Forwarded-For, so the n-th entry from the right is the one our outermost proxy wrote;
    entries further left are the client's own claims and are never believed.

    None when there is no usable address (a request built in code, a Unix socket): axes
    stores addresses in an IP column, which refuses anything else.
    """
    remote = request.META.get("REMOTE_ADDR", "").strip()
    remote = remote if _is_address(remote) else None
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    return candidate if _is_address(candidate) else remote
