"""What the panel refuses. Each refusal's message is what the client reads; how it reads over HTTP
(status and body) is decided in one table, ``mock_server.pipeline.refusals``."""


class StateError(Exception):
    """A request the panel refuses because of its state, not because of the request's shape."""


class UserNotFound(StateError):
    pass


class UserExists(StateError):
    pass


class UsernameNotAllowed(StateError):
    pass


class AlreadyInState(StateError):
    """Suspending a suspended account, unsuspending an active one."""


class PlanNotFound(StateError):
    """A plan named in a request body (create, plan change) does not exist."""


class PlanIdNotFound(StateError):
    """No plan has the id in the path."""


class PlanExists(StateError):
    pass


class PlanInUse(StateError):
    pass


class DomainNotFound(StateError):
    pass


class DomainExists(StateError):
    pass


class ServiceNotFound(StateError):
    pass


class NotificationNotFound(StateError):
    pass


# -- group C1: OpenAdmin accounts and settings ---------------------------------------------------


class AdminNotFound(StateError):
    """No OpenAdmin account (administrator or reseller) has this name."""


class AdminExists(StateError):
    pass


class SuperAdminProtected(StateError):
    """The Super Admin cannot be suspended or deleted; only it may clear second factors."""


class FeatureSetNotFound(StateError):
    pass


class SettingsRefused(StateError):
    """A settings request the panel refuses for its state (a taken name, a language not installed …)."""
