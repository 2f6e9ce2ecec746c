"""Handlers, one module per spec tag. Importing this package registers them all."""

from mock_server.handlers import auth, plans, system, users

__all__ = ["auth", "plans", "system", "users"]
