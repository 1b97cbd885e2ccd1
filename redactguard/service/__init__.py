"""`redactguard serve`: the scan and redact of the command line as an HTTP service.

`create_app(ServiceSettings(...))` gives the ASGI application (Starlette), `serve(settings)`
runs it with uvicorn. Routes: `POST /v1/scan`, `POST /v1/redact`, `GET /healthz`,
`GET /openapi.json`. See docs/deploy.md, "The service".
"""

from __future__ import annotations

from .app import ServiceSettings, create_app, serve

__all__ = ["ServiceSettings", "create_app", "serve"]
