import pytest

from tests.app.conftest import app_server  # noqa: F401  (the app tests' server, shared)
from tests.small_filesystem import RunInNamespace, run_inside_namespace, small_filesystem  # noqa: F401


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A test on a small filesystem runs inside a mount namespace of its own (see
    tests/small_filesystem.py) when it cannot mount one here."""
    if isinstance(pyfuncitem.funcargs.get("small_filesystem"), RunInNamespace):
        run_inside_namespace(pyfuncitem)
        return True
    return None
