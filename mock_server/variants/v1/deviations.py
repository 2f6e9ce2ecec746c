"""**The one place that lists how the 1.x twin departs from the contract.**

The twin (``mock_server.variants.v1``) is the Python/Flask OpenAdmin as the 2024 documentation shows
it (DEV24, Sept 2024: OpenPanel 0.2.8-0.2.9, /work/shared/reference/openadmin-api-facts.md), with
Flask 3, Werkzeug 3 and flask-jwt-extended 4 at their defaults. Its code was closed, so where the
facts sheet is silent the framework decides (routing, JSON parsing, token errors), and where the
framework does not either, the contract does (the contract is the project's model of 1.x); each
such choice is a row of spec/DECISIONS.md ("The 1.x flavor"). As for v2, the twin marks every
answer the contract's schemas refuse with the deviation that explains it.
"""

from __future__ import annotations

from functools import partial

from mock_server.variants import VARIANTS

V1 = "v1"
_describe = partial(VARIANTS.describe, group=V1)

HTML_404 = _describe(
    "html-404",
    description="unknown paths and routes the 2024 server did not have yet (POST …/autologin, /api/domains*, "
    "/api/notifications*, /api/usage/server, /api/usage/disk/{username}, /api/whoami/) answer Werkzeug's HTML "
    "404 page",
    source="Flask/Werkzeug 3 NotFound; facts §0.1 (1.3.8, 1.7.4, 1.7.42), §1.7, §2.11, §2.18-2.20, §2.26, §2.34",
)
HTML_405 = _describe(
    "html-405",
    description="a method a path lacks answers Werkzeug's HTML 405 with Allow: plan create, replace, patch and "
    "delete (not in 2024), the path form POST /api/users/{username} (WHMCS 2026), PUT /api/whoami …",
    source="Flask/Werkzeug 3 MethodNotAllowed; facts §1.7, §2.6 (A), §2.15-2.17 (A, B)",
)
SLASHLESS_308 = _describe(
    "slashless-308",
    description="/api without the slash answers Werkzeug's 308 redirect to /api/ (HTML body, absolute Location) "
    "to the methods /api/ has (GET, HEAD, POST, OPTIONS), before authentication; other methods get its 404",
    source="Werkzeug strict_slashes (RequestRedirect, 308); facts §1.7, §4 #2",
    conforms=True,
)
FLASK_OPTIONS = _describe(
    "flask-options",
    description="OPTIONS on a routed path answers Flask's automatic 200 with an empty body and Allow (HEAD, "
    "OPTIONS and the rule's methods, in no fixed order)",
    source="Flask provide_automatic_options",
    conforms=True,
)
JWT_422 = _describe(
    "jwt-422",
    description="flask-jwt-extended's defaults: a malformed header, a non-JWT, a bad signature, alg none, a "
    "refresh token or a token without sub answer 422 {msg: …}; only a missing header, another scheme and an "
    "expired token are 401",
    source="flask-jwt-extended 4.7 default error handlers (verified locally); facts §1.4",
)
WERKZEUG_JSON = _describe(
    "werkzeug-json-errors",
    description="a body that is not application/json answers Werkzeug's HTML 415, malformed JSON (or none) its "
    "HTML 400 (request.get_json()), where the contract wants a JSON error",
    source="Flask Request.get_json, Werkzeug 3 UnsupportedMediaType/BadRequest; facts §1.7",
)
CLI_FAILURES_500 = _describe(
    "cli-failures-500",
    description="a failed opencli command answers 500 {success: false, error}: a taken name or unknown plan "
    "on create, a repeated (un)suspend, an unknown account or plan on plan change, password or delete — a "
    "repeated DELETE included",
    source="facts §1.6 (CLI-backed failures), §2.10 (a repeated DELETE → 500)",
)
DELETE_SUSPENDED_REFUSED = _describe(
    "delete-suspended-refused",
    description="deleting a suspended account fails (500): clients unsuspend first",
    source="facts §2.10 (2024 servers; WHMCS unsuspends before DELETE)",
)
DISK_USAGE_PARTITIONS = _describe(
    "disk-usage-partitions",
    description="GET /api/usage/disk answers the server's partitions (its 2024 meaning), not usage per account",
    source="facts §2.25 (A: DEV24 Sept 2024 example), §0.1 (1.3.8, 1.7.42)",
)
ROWS_FORM = _describe(
    "rows-form",
    description="accounts are 12-value positional rows (the Aug 2024 users table plus the plan name), the single "
    "account too ({users: [row]}); plans carry docker_image and storage_file (named variants)",
    source="SEED; openpanel-configuration mysql_plans.sql 2024-08-30; facts §3.1, §3.4",
    conforms=True,
)
PRETTY_JSON = _describe(
    "pretty-json",
    description="JSON pretty-printed with sorted keys, two-space indent and ', ' separators, as the 2024 "
    "examples show it",
    source="SEED and DEV24 examples; Flask < 2.3 jsonify (JSONIFY_PRETTYPRINT_REGULAR); facts §1.1",
    conforms=True,
)
