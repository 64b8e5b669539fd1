"""The ASGI app for uvicorn: `uvicorn vigil.api.main:app`."""

from vigil.api.app import create_app

app = create_app()
