from tests.app.conftest import app_server  # noqa: F401  (the app tests' server, shared)
