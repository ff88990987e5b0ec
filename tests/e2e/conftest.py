"""Browser tests: the app served on a free local port, the system Chromium driven by Playwright, axe-core.

The server lives for the whole run and answers with tests/conftest.py's `app` (the test's own outbox folder; its
settings, tables, kept pages and rate limits reset after each test).
Every test here is marked `e2e`: `pytest -m "not e2e"` runs the others without a browser.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from browser_checks import AXE, CHROMIUM
from support import make_city
from youth_portal import PROJECT_ROOT
from youth_portal.cities.models import Region

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items) -> None:
    """Mark every test of this folder `e2e` (the hook sees the whole run's tests, so it picks those below here)."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _missing_browser_parts() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE.relative_to(PROJECT_ROOT)} (npm install)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -e '.[test]')")
    return missing


@pytest.fixture(scope="session", autouse=True)
def browser_parts_present():
    """Skip the browser tests when Chromium, axe-core or Playwright is missing; fail instead in CI."""
    missing = _missing_browser_parts()
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(reason + " (REQUIRE_BROWSER_TESTS=1)", pytrace=False)
        pytest.skip(reason)


class AppUnderTest:
    """The WSGI app the server passes each request to: the current test's app."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _server():
    """A threaded development server on 127.0.0.1 and a free port, for the whole run."""
    app_under_test = AppUnderTest()
    server = make_server("127.0.0.1", 0, app_under_test, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield server, app_under_test
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def live_server(_server, app) -> str:
    """The base URL of the server, answering with this test's app."""
    server, app_under_test = _server
    app_under_test.app = app
    yield f"http://127.0.0.1:{server.server_port}"
    app_under_test.app = None


@pytest.fixture(scope="session")
def browser(browser_parts_present):
    """Headless system Chromium (Playwright never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (cookies of its own); options as for `browser.new_context`."""
    contexts = []

    def open_page(**options):
        # CSP is bypassed only so that axe-core can be injected; the app's own pages never need it.
        context = browser.new_context(base_url=live_server, bypass_csp=True, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in English at a desktop size."""
    return new_page(locale="en-GB", viewport={"width": 1280, "height": 800})


@pytest.fixture
def cities(app):
    """Murcia (Spanish by default, and English) and Beirut (Arabic by default, French and English)."""
    with app.app_context():
        make_city("murcia", name="Murcia")
        make_city(
            "beirut",
            name="Beirut",
            country="LB",
            region=Region.MENA,
            timezone="Asia/Beirut",
            default_language="ar",
            languages=["ar", "fr", "en"],
        )
