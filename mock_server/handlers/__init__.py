"""Handlers, one module per endpoint group (spec tag). Importing this package imports every module in
it, which registers each handler in ``HANDLERS`` — a new group adds a module and nothing else."""

import importlib
import pkgutil

from mock_server.handlers.registry import HANDLERS

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "registry":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["HANDLERS"]
