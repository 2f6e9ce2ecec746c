"""A Flask mock of an OpenPanel admin API, driven entirely by ``spec/openapi.yaml``."""

from mock_server.app import create_app
from mock_server.config import MockConfig

__all__ = ["MockConfig", "create_app"]
