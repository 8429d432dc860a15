"""Request body parsers with bounded input: JSON nesting is limited before parsing.

Python's json module recurses once per nesting level, so a body of 1,000 nested arrays
raised RecursionError (a 500) on endpoints open to anyone. The depth is counted first,
over the brackets outside strings, and a body deeper than NEWSROOM_API_JSON_MAX_DEPTH is
refused with 400 before the json module sees it. (The body's size is capped earlier, by
core.middleware.RequestBodyLimitMiddleware.)
"""

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string (escapes included) or one bracket: strings are skipped, brackets counted.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether any value in the JSON text nests deeper than `limit` arrays and objects."""
    depth = 0
    for match in _TOKENS.finditer(raw):
        first = match.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != 0x22:  # a closing bracket, not a string
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser, refusing bodies nested deeper than NEWSROOM_API_JSON_MAX_DEPTH."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        limit = settings.NEWSROOM_API_JSON_MAX_DEPTH
        if json_depth_exceeds(raw, limit):
            raise ParseError(f"JSON nested deeper than {limit} levels.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
