"""Handlers, one module per spec tag. Importing this package registers them all in ``HANDLERS``."""

from mock_server.handlers import auth, domains, notifications, plans, services, system, usage, users
from mock_server.handlers.registry import HANDLERS

__all__ = ["HANDLERS", "auth", "domains", "notifications", "plans", "services", "system", "usage", "users"]
