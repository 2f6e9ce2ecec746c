"""The parse stage: the request body as JSON, parsed once for the handler."""

from __future__ import annotations

import json
from typing import Any

from flask import Request

from mock_server.errors import ApiError


def request_json(request: Request) -> Any:
    """The request body as JSON (``None`` when there is none, or it is not JSON).

    Reading it enforces ``MAX_CONTENT_LENGTH`` (413) before anything parses. JSON nested deeper than
    Python's recursion limit makes every JSON parser here raise ``RecursionError``: it is answered as
    the malformed input it is, before validation, instead of a 500. Anything else that does not parse
    is left to validation, which words the error (it judges the same bytes).
    """
    data = request.get_data(cache=True)
    if not data or not request.is_json:
        return None
    try:
        return json.loads(data)
    except RecursionError:
        too_deep = "Invalid JSON format: the body is nested too deeply"
        raise ApiError.app(400, too_deep, field="body", rule="json") from None
    except ValueError:
        return None
