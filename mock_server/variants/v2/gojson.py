"""How the Go handlers read a request body: ``json.NewDecoder(r.Body).Decode(&target)``.

The decoder reads only the first JSON value (anything after it is never looked at), fails on an
empty body, and fills a struct by matching keys case-insensitively, failing on a value of the wrong
type but keeping the fields that did match. Handlers differ only in what they do with a failure.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request

#: ``Exchange.body`` when the first JSON value could not be decoded (empty body, syntax error).
UNDECODABLE: Any = type("Undecodable", (), {"__repr__": lambda self: "<undecodable body>"})()
_GO_WHITESPACE = " \t\r\n"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r}")  # Go knows no NaN or Infinity


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def decode_first(data: bytes) -> Any:
    """The first JSON value of ``data``, or ``UNDECODABLE``. Invalid UTF-8 reads as U+FFFD, as in Go."""
    text = data.decode("utf-8", errors="replace").lstrip(_GO_WHITESPACE)
    if not text:
        return UNDECODABLE  # io.EOF
    try:
        value, _ = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return UNDECODABLE
    return value


def into_struct(value: Any, *fields: str) -> tuple[dict[str, str], bool]:
    """Decode into a struct of string fields: (the fields set, whether decoding succeeded).

    ``null`` leaves everything empty without an error; a non-object is an error; keys match their
    field case-insensitively (the last one wins); a non-string value is an error that still keeps
    the other fields, as encoding/json reports type errors only after decoding the rest.
    """
    if value is UNDECODABLE:
        return {}, False
    if value is None:
        return {}, True
    if not isinstance(value, dict):
        return {}, False
    found: dict[str, str] = {}
    ok = True
    folded = {field.casefold(): field for field in fields}
    for key, item in value.items():
        field = folded.get(key.casefold())
        if field is None or item is None:
            continue
        if isinstance(item, str):
            found[field] = item
        else:
            ok = False
    return found, ok


def into_map(value: Any) -> tuple[dict[str, Any], bool]:
    """Decode into ``map[string]interface{}``: (the map, whether decoding succeeded)."""
    if value is None:
        return {}, True
    if isinstance(value, dict):
        return value, True
    return {}, False


def is_json_request(request: Request) -> bool:
    """``isJSONRequest`` (api_users.go): the media type is application/json or ends in +json."""
    header = request.headers.get("Content-Type")
    if not header:
        return False
    media_type, *params = header.split(";")
    media_type = media_type.strip().lower()
    if any("=" not in param for param in params if param.strip()):
        return False  # mime.ParseMediaType fails on a parameter without a value
    return media_type == "application/json" or media_type.endswith("+json")
