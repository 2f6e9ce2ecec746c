"""**The one place that lists how the 2.x twin departs from the contract.**

The twin (``mock_server.variants.v2``) is built route by route from the Go server
(``stefanpejcic/openadmin`` @ 1a04e7cb, read for /work/research/v2-twin/NOTES.md) and the opencli
scripts it runs. Each constant below names one deviation, with what it changes and its source; the
twin's code marks every answer the contract's schemas refuse with the deviation that explains it
(``depart``), and the mock's response validation still checks every other answer. ``conforms``
says whether the deviation's answers still fit the contract (a named variant, or a difference in
behaviour that no single answer shows). ``openpanel-mock --list-deviations --flavor v2`` prints this.

CLI exit codes: the handlers are emulated as the Go code and its tests expect, with each opencli
script's own exit status reaching the handler (NOTES §0 found that the installed ``opencli`` wrapper
always exits 0, which would turn every failure below into a success answer; spec/DECISIONS.md).
"""

from __future__ import annotations

from functools import partial

from mock_server.variants import VARIANTS

V2 = "v2"
_describe = partial(VARIANTS.describe, group=V2)

# -- routing: cmd/openadmin/main.go newHandler, internal/handlers/errors.go, Go 1.25 ServeMux ----------

CATCH_ALL_GET = _describe(
    "catch-all-get",
    description="any GET under /api/ without a more specific route (/api/usage, /api/usage/stats, "
    "/api/usage/disk/{username}, /api/docker/context, /api/whoami/ …) answers 200 {message: API is "
    "working!} without asking for a token",
    source="main.go newHandler (GET /api/); api_welcome.go ServeWelcome; NOTES §2.1",
)
CATCH_ALL_POST = _describe(
    "catch-all-post",
    description="any POST under /api/ without a route runs the login handler (rate limit, 400 Invalid "
    "JSON body, 401 Invalid credentials, a token for valid credentials)",
    source="main.go newHandler (POST /api/); api_welcome.go ServeWelcome; NOTES §2.1, §4",
)
NO_405 = _describe(
    "no-405",
    description="a method a path lacks (PUT /api/users, DELETE /api/whoami, TRACE, OPTIONS, unknown "
    "methods) answers 404 {error: This api route does not exist…} without Allow; no 405 is ever sent",
    source="errors.go NotFoundHandler (empty pattern for 404 and 405); NOTES §2.1, §7.7",
)
SUPER_ADMIN_403 = _describe(
    "super-admin-403",
    description="Super-Admin routes (reboot, root password) refuse a missing or bad token, and every role "
    "but the Super Admin, with 403 {error: Only the Super Admin can perform this action.}, not 401",
    source="api_common.go RequireAPISuperAdmin",
)
CONNECT_NOT_ROUTED = _describe(
    "connect-not-routed",
    description="CONNECT /api/users/{username} (the documented autologin) is not routed: 404 {error: "
    "This api route does not exist…}",
    source="errors.go NotFoundHandler; facts §2.11; NOTES §5.10",
)
HEAD_QUIRKS = _describe(
    "head-quirks",
    description="HEAD on the catch-all runs the login branch (400 Invalid JSON body, 429); HEAD /api/users "
    "and /api/users/{username} answer 200 with no body and no Content-Type; HEAD /api/services takes "
    "the PUT branch (400 Request must be JSON)",
    source="api_welcome.go ServeWelcome, api_users.go ServeUsers, api_services.go ServeServicesFile; NOTES §2.1, §7.3",
)
SLASHLESS_API = _describe(
    "slashless-api",
    description="/api without the slash: GET/HEAD answer text/plain 404 page not found (the static-file "
    "route) with a _gorilla_csrf cookie; POST, PUT, PATCH, DELETE, CONNECT answer 400 {error: CSRF error, "
    "message: CSRF token missing or incorrect.}, even to valid credentials; OPTIONS/TRACE the HTML 404 page",
    source="main.go newHandler (CSRF split), gorilla/csrf v1.7.3, errors.go CSRFErrorHandler; NOTES §2.1, §7.4",
)
PATH_CLEANING = _describe(
    "path-cleaning-301",
    description="a path with //, . or .. answers 301 to the cleaned path (before authentication) when the "
    "cleaned path routes, else the JSON 404",
    source="Go 1.25 net/http ServeMux findHandler; NOTES §2, §7.6",
)

# -- authentication: internal/handlers/api_common.go ----------------------------------------------------

TOKEN_ONLY_401 = _describe(
    "token-only-401",
    description="token-only routes (whoami, plans, system, usage/cpu|memory|server) word every credential "
    "failure alike: 401 {error: Missing or invalid token}",
    source="api_common.go RequireAPIToken, parseAPIToken; facts §1.4",
    conforms=True,
)
AUTH_404 = _describe(
    "auth-404",
    description="admin and account routes answer every credential failure (missing, malformed, forged, "
    "expired) with 404 {error: User not found}; a reseller gets 403",
    source="api_common.go RequireAPIAdmin, RequireAPIOwnerOrAdmin; facts §1.4",
)
GO_JWT = _describe(
    "go-jwt",
    description="tokens carry only sub, exp, nbf, iat; one without exp is accepted for ever, iat is not "
    "checked and type/fresh are ignored (a refresh-type token is accepted); only 'Bearer ' with one space",
    source="api_common.go parseAPIToken, createAPIToken; golang-jwt v5.3.1 validator.go; NOTES §3.1, §4",
)
LOGIN_RATE_LIMIT = _describe(
    "login-rate-limit",
    description="POST /api/ (and every POST or HEAD the catch-all takes) spends a per-address token "
    "(burst 5, --login-rate per minute, before the body is read): 429 {error: Too many login attempts. "
    "Please try again later.} without Retry-After",
    source="api_welcome.go ServeWelcome; internal/auth/ratelimit.go; login.go clientIP; NOTES §4",
    conforms=True,
)
LOGIN_DECODE = _describe(
    "login-decode",
    description="login reads the body as JSON whatever its Content-Type, ignores what follows the first "
    "value, matches keys case-insensitively, and answers 400 {error: Invalid JSON body} to anything else",
    source="api_welcome.go ServeWelcome (json.Decoder into a struct); NOTES §4, §7.9",
)

# -- request handling --------------------------------------------------------------------------------

NO_SCHEMA_VALIDATION = _describe(
    "no-schema-validation",
    description="no request is checked against a schema: unknown fields are ignored, wrong types, formats "
    "and patterns reach the handler's own few checks or the CLI, so requests the contract refuses succeed; "
    "no body is too large",
    source="internal/handlers/api_*.go (no validation layer); internal/server/server.go (no body limit); NOTES §1, §5",
)
CONTENT_TYPE_RULES = _describe(
    "content-type-rules",
    description="account routes, autologin and plan create/edit require a JSON Content-Type (400 {error: "
    "Invalid JSON format}), DELETE /api/users/{username} and autologin even without a body; PUT "
    "/api/services needs 'application/json' in it; login and domains/new check none",
    source="api_users.go isJSONRequest, api_plans.go, api_services.go, api_domains.go; facts §1.9",
)
DECODE_ERRORS_IGNORED = _describe(
    "decode-errors-ignored",
    description="malformed JSON is ignored by account PUT/PATCH (400 Missing username or plan name / "
    "Something went wrong..), plan create (every field defaulted) and plan edit (accepted with 200)",
    source="api_users.go handleChangePlan, handlePatch; api_plans.go handleCreate, handleEdit; facts §6 #16",
)
DOMAIN_NEW_DECODE_500 = _describe(
    "domains-new-decode-500",
    description="POST /api/domains/new answers 500 {error: Invalid JSON body} to malformed JSON, an empty "
    "body, an array or a non-string field, and reads a text/plain body like JSON",
    source="api_domains.go HandleAddDomain; facts §2.19",
)

# -- accounts: api_users.go + opencli user/*.sh -------------------------------------------------------

CREATED_201 = _describe(
    "created-201",
    description="account create, suspend, unsuspend, password, plan change and delete answer 201, not 200",
    source="api_users.go handleCreate, handlePatch, handleChangePlan, handleDelete; facts §2.6-2.10",
)
FORBIDDEN_NAME_400 = _describe(
    "forbidden-name-400",
    description="a name on forbidden_usernames.txt answers 400 {error: Username is not allowed}, not 409",
    source="api_users.go handleCreate; facts §2.6",
)
CLI_FAILURES_500 = _describe(
    "cli-failures-500",
    description="a failed opencli command answers 500 {success: false, error}: a taken name or an unknown "
    "plan on create (the CLI's stdout, usually empty), a repeated (un)suspend, an unknown or suspended "
    "account on plan change, a repeated DELETE (Error executing command: exit status 1)",
    source="api_users.go; opencli user/add.sh, suspend.sh, unsuspend.sh, change_plan.sh, delete.sh; NOTES §5.6-5.9, §6",
)
USER_ADD_RULES = _describe(
    "user-add-rules",
    description="user-add lower-cases the name and refuses names outside 3-20 characters or not "
    "^[a-zA-Z][a-zA-Z0-9]*$ and passwords below strength 50/100 (500), where the contract allows _ . - "
    "and any password",
    source="opencli user/add.sh, lib/password_strength.sh; NOTES §6.1",
)
CLI_MESSAGES = _describe(
    "cli-messages",
    description="success messages are the CLI's stdout: [✔] Successfully added user <u> with password: <p>, "
    "a 'No domains found' line before a suspension, four lines for a plan change",
    source="opencli user/add.sh, suspend.sh, change_plan.sh; NOTES §6",
    conforms=True,
)
PASSWORD_UNCHECKED = _describe(
    "password-unchecked",
    description="a password change for an account that does not exist answers 201 success",
    source="opencli user/password.sh (no existence check); NOTES §6.5",
)
EMPTY_USER_LIST = _describe(
    "empty-user-list",
    description="GET /api/users always answers {users: []}: the schema fits, but no account is listed",
    source="api_users.go handleGet; facts §2.4",
)
RESELLER_CREATES_UNOWNED = _describe(
    "reseller-creates-unowned",
    description="an account a reseller creates through the API is not the reseller's: user-add runs "
    "without --reseller, so users.owner stays NULL and the reseller's next request on it answers 403",
    source="api_users.go handleCreate (no --reseller argument); opencli user/add.sh (owner only with --reseller)",
)
USER_LOOKUP = _describe(
    "user-lookup",
    description="GET /api/users/{username} matches case-insensitively and by SQL LIKE on the suspended "
    "form (_ and % are wildcards; 'a' finds SUSPENDED_…_jasta); disk_usage is {} unless the path names "
    "the Linux account exactly",
    source="api_users.go fetchUserPlanRow, userDataForAPI; NOTES §5.5",
)
USER_DETAIL_FORM = _describe(
    "user-detail-form",
    description="the single account: server is the account name, twofa_enabled 0/1, RFC 3339 dates, "
    "home_path /home/<u>/, the plan without max_email_quota and max_hourly_email",
    source="api_users.go userDataForAPI; NOTES §5.5",
    conforms=True,
)
AUTOLOGIN_UNCHECKED = _describe(
    "autologin-unchecked",
    description="POST …/autologin does not check that the account exists: 200 with a link for any name",
    source="api_users.go ServeAutologin; facts §2.11",
)

# -- plans: api_plans.go + opencli plan/*.sh ---------------------------------------------------------

PLAN_ID_ATOI = _describe(
    "plan-id-atoi",
    description="after authentication, a plan id strconv.Atoi cannot parse answers text/plain 404 page "
    "not found; +1 and 007 pass and find plan 1 and 7",
    source="api_plans.go ServeDetail; facts §2.14",
)
PLAN_CREATE_WITHOUT_PLAN = _describe(
    "plan-create-without-plan",
    description="plan create answers {success, message} without the new plan (its id is only in the list); "
    "the contract allows it (spec/DECISIONS.md #34)",
    source="api_plans.go handleCreate; facts §2.15",
    conforms=True,
)
PLAN_CLI_CHECKS = _describe(
    "plan-cli-checks",
    description="plan create/edit hand every field to the CLI, which wants integer counts and disk (the "
    "contract's '5 GB' fails: 500 Error: disk_limit must be a number (integer only)), a bare number for "
    "ram and cpu, a name of letters, digits, space . _ -; it accepts negative counts, which are then listed",
    source="api_plans.go handleCreate, handleEdit; opencli plan/create.sh, plan/edit.sh; NOTES §5.12, §6.7-6.8",
)
PLAN_PATCH_RESETS = _describe(
    "plan-patch-resets",
    description="PATCH is PUT: fields not sent are reset to defaults and a missing name or description "
    'becomes "None"; names may collide; an unknown id is a 500',
    source="api_plans.go handleEdit; opencli plan/edit.sh; facts §2.16; NOTES §5.14",
)
PLAN_DELETE_BY_NAME = _describe(
    "plan-delete-by-name",
    description="DELETE /api/plans/{id} runs plan-delete with the id as a plan NAME: the plan stays and "
    "any id (unknown, repeated, in use) answers 200 with the CLI's JSON as output",
    source="api_plans.go handleDelete; opencli plan/delete.sh; NOTES §5.15, §7.2",
)

# -- domains: api_domains.go + opencli domains/*.sh ----------------------------------------------------

DOMAIN_COMMANDS_200 = _describe(
    "domain-commands-always-200",
    description="domain commands always answer 200 {returncode, stderr, stdout}: a taken domain, an "
    "unknown account or domain gives returncode 1 with the CLI's text, unsuspending an unknown domain "
    "returncode 0 ('Domain x is not suspended.')",
    source="api_domains.go HandleAddDomain, HandleDomainAction; opencli domains/*.sh; NOTES §6.10-6.13",
)
DOMAIN_SUSPEND_STICKY = _describe(
    "domain-suspend-sticky",
    description="unsuspend copies the suspended vhost back but keeps it: after one cycle every suspend "
    "says 'Domain is already suspended.' and leaves the domain live",
    source="opencli domains/unsuspend.sh, suspend.sh; NOTES §6.11-6.12",
)
DOMAIN_DISPATCHER = _describe(
    "domain-dispatcher",
    description="POST /api/domains/{action}/{domain}: the action is case-insensitive, others answer 400 "
    "{error: Invalid action. Use suspend, unsuspend, or delete}; GET there answers text/plain 404; no "
    "status in the domain list",
    source="main.go newHandler (domains dispatcher); api_domains.go; NOTES §2.2, §5.17-5.19",
)

# -- services, notifications, usage, system --------------------------------------------------------------

SERVICE_ERRORS_400 = _describe(
    "service-errors-400",
    description="an unknown service (every one on a stock services.json, which has no on_dashboard key) "
    "answers 400 {error: Invalid service: …}; stop says 'stoped'",
    source="api_services.go HandleManageService; facts §2.31",
)
SERVICES_ANY_JSON = _describe(
    "services-any-json",
    description="PUT /api/services stores any JSON value (the documented object map too); GET then answers "
    "it and the status 500s",
    source="api_services.go ServeServicesFile, ServeServicesStatus; facts §2.29",
)
NOTIFICATIONS_RAW = _describe(
    "notifications-raw-lines",
    description="notifications are raw log lines sorted in reverse byte order (a named variant); an "
    "unknown line answers 400 {error: Invalid line number}, a non-numeric one 404 {error: Not Found}",
    source="api_notifications.go ServeNotifications, HandleMarkRead, HandleDelete; facts §2.34",
)
DISK_USAGE_KEYS = _describe(
    "disk-usage-keys",
    description="GET /api/usage/disk names its fields diskusage, disklimit, inodesusage, inodeslimit, "
    "bwusage, bwlimit (the WHMCS module reads disk_usage, disk_limit)",
    source="api_notifications.go ServeDiskUsage; facts §2.25 (WHMCS-26)",
)
COUNTS_AS_TEXT = _describe(
    "counts-as-text",
    description="GET /api/system sends every value as a string, in struct order (a named variant)",
    source="api_system.go ServeSystemInfo, dashboard.go systemInfo; facts §2.27",
    conforms=True,
)
GO_JSON = _describe(
    "go-json",
    description="JSON is Go's encoder's: <, > and & escaped as \\u003c…, other non-ASCII raw, one trailing "
    "newline, no charset; integral floats without .0 (memory '21%')",
    source="encoding/json Encoder (SetEscapeHTML default); NOTES conventions, §7.19",
    conforms=True,
)
