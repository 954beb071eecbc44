"""The platform service (issue 5): FastAPI application over the registry and the readings lake.

``create_app(settings)`` in :mod:`nengtan.api.app` builds it; ``nengtan serve`` runs it with uvicorn.
"""
