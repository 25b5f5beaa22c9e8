"""The server: a FastAPI service for a workspace's graphs, checks, exports and runs.

Needs the `server` extra (`pip install graphgan[server]`); nothing in the core imports it.
"""

from graphgan.server.app import create_app
from graphgan.server.runner import serve
from graphgan.server.settings import ServerSettings, SettingsError

__all__ = ["ServerSettings", "SettingsError", "create_app", "serve"]
