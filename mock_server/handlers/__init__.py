"""Handlers, one module per spec tag. Importing this package registers them all."""

from mock_server.handlers import auth, domains, notifications, plans, services, system, usage, users

__all__ = ["auth", "domains", "notifications", "plans", "services", "system", "usage", "users"]
