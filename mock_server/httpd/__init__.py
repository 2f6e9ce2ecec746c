"""The mock's own HTTP/1.1 server: httptools' parser on an asyncio (uvloop) event loop, forked workers.

Chosen over gunicorn, granian, waitress and uWSGI for what the mock must do and they could not all do
through public configuration (DECISIONS.md, serving): answer ``CONNECT`` with a JSON body (the WHMCS
module's autologin), refuse hostile input with JSON errors, and let no slow client hold anything but
its own connection. It serves one WSGI app and nothing else.
"""

from mock_server.httpd.connection import Limits
from mock_server.httpd.workers import DEFAULT_WORKERS, serve

__all__ = ["DEFAULT_WORKERS", "Limits", "serve"]
