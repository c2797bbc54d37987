import os
import shutil
import tempfile

import pytest

# The servers the HTTP tests start (tools/bookstore_tools; PYTHONPATH=tools).
from bookstore_tools.testing import Bookstore


def _chromedriver():
    return shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)


@pytest.fixture
def server():
    workdir = tempfile.mkdtemp(prefix="bookstore-browser-")
    s = Bookstore(workdir).start()
    yield s
    s.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def browser():
    """Headless Chromium through Selenium (Debian: chromium, chromium-driver, python3-selenium)."""
    # scripts/install-deps installs these: a missing one is a failure, not a skip.
    from selenium import webdriver
    driver_path = _chromedriver()
    if not driver_path:
        pytest.fail("chromedriver is not installed (scripts/install-deps installs chromium-driver)")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=es", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(arg)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    # A Spanish-speaking shopper: headless Chromium ignores --lang for the
    # Accept-Language it sends (the pages follow that header).
    options.add_experimental_option("prefs", {"intl.accept_languages": "es-ES,es"})
    # The console's messages (Content-Security-Policy violations among them).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's axe.min.js, installed by tests/browser/install-tools (npm ci
    into a cache folder; scripts/install-deps runs it, else it runs here)."""
    import subprocess
    script = os.path.join(os.path.dirname(__file__), "install-tools")
    result = subprocess.run([script], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail("axe-core could not be installed: " + result.stderr[-2000:])
    with open(result.stdout.strip().splitlines()[-1], encoding="utf-8") as f:
        return f.read()
