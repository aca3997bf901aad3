"""The documents and the notebooks in a real browser (headless Chromium, driven by selenium):

- every HTML document passes axe-core's WCAG 2.1 A and AA rules and reflows to 320 px without
  scrolling sideways (WCAG 1.4.10);
- JupyterLab, started as `make lab` starts it, opens the nota notebook, runs all its cells with
  the project's kernel without an error, and shows a sentence of the nota with its figures
  filled in (jupyterlab-myst).

Skipped with the reason where Chromium, ChromeDriver or axe-core are missing; `.ci/run` installs
them and sets STMH_REQUIRE_BROWSER=1, so in CI a missing browser fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from stmh_analysis.paths import NOTEBOOKS_DIR, Paths
from stmh_analysis.pipeline import RunOptions, run_pipeline

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str:
    if not CHROMIUM or not CHROMEDRIVER:
        return "Chromium en ChromeDriver ontbreken: apt-get install chromium chromium-driver"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium ontbreekt: make install"
    return ""


def require_browser() -> None:
    reason = _missing()
    if reason:
        if os.environ.get("STMH_REQUIRE_BROWSER"):
            pytest.fail(f"{reason} (STMH_REQUIRE_BROWSER is gezet, zoals in CI)")
        pytest.skip(reason)


def browser(width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("browser")
    paths = Paths.default().with_overrides(
        processed=tmp / "processed",
        reports=tmp / "reports",
        releases=Path(__file__).parent / "data" / "no-releases",
    )
    run_pipeline(
        RunOptions(paths=paths, date="2024-01-29", reference_code="2024-0001"),
        say=lambda _: None,
        progress=False,
    )
    return paths


def axe_violations(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
        WCAG_21_AA,
    )
    return result


def test_every_html_document_meets_wcag_21_aa_and_reflows_to_320_px(reports):
    if not AXE.is_file():
        if os.environ.get("STMH_REQUIRE_BROWSER"):
            pytest.fail("axe-core ontbreekt: npm ci --prefix tests/browser")
        pytest.skip("axe-core ontbreekt: npm ci --prefix tests/browser")
    documents = sorted(reports.reports.rglob("*.html"))  # reports/ and reports/openbaar/
    assert len(documents) >= 4
    found, wide = {}, {}
    driver = browser()
    try:
        driver.set_script_timeout(60)
        for page in documents:
            driver.get(page.as_uri())
            violations = axe_violations(driver)
            if violations:
                found[page.name] = violations
        # a 320 px wide viewport (headless windows have a minimum size; emulate the screen)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
        for page in documents:
            driver.get(page.as_uri())
            width = driver.execute_script("return document.documentElement.scrollWidth")
            if width > driver.execute_script("return window.innerWidth") + 1:
                wide[page.name] = width
    finally:
        driver.quit()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    assert not wide, f"scrolls sideways at 320 px: {wide}"


# --- JupyterLab ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(reports, tmp_path):
    """JupyterLab as `make lab` starts it, on a folder holding the nota notebook whose
    parameters cell points at this test's run (an analyst's checkout has its own data)."""
    root = tmp_path / "lab"
    root.mkdir()
    nb = nbformat.read(NOTEBOOKS_DIR / "nota.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace(
        "processed_dir = None", f"processed_dir = {str(reports.processed)!r}"
    ).replace("releases_dir = None", f"releases_dir = {str(reports.releases)!r}")
    nbformat.write(nb, root / "nota.ipynb")
    port, token = _free_port(), "stmh-test"
    jupyter = Path(sys.executable).with_name("jupyter")
    server = subprocess.Popen(
        [str(jupyter), "lab", f"--ServerApp.root_dir={root}", "--no-browser",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         "--ServerApp.ip=127.0.0.1", *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/lab/tree/nota.ipynb?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(driver, condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab: {what} (na {seconds:.0f} s)")


def test_the_nota_runs_in_jupyterlab_and_shows_its_sentences_filled_in(lab):
    from selenium.webdriver.common.by import By

    driver = browser()
    try:
        driver.get(lab)
        _wait(
            driver,
            lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell"),
            90,
            "het notebook opent niet",
        )
        _wait(
            driver,
            lambda: "Idle" in driver.page_source or "Inactief" in driver.page_source,
            90,
            "de kernel start niet",
        )
        driver.find_element(
            By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel')][.='Run']"
        ).click()
        driver.find_element(By.CSS_SELECTOR, "li[data-command='runmenu:run-all']").click()

        def finished() -> bool:
            prompts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".jp-InputPrompt")]
            return (
                bool(prompts)
                and not any("*" in p for p in prompts)
                and all(re.search(r"\[\d+\]", p) for p in prompts if p.strip())
            )

        _wait(driver, finished, 180, "niet alle cellen zijn uitgevoerd")
        errors = driver.find_elements(
            By.CSS_SELECTOR, "[data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert not [e.text for e in errors if "Error" in e.text or "Traceback" in e.text]
        page = _wait(
            driver,
            lambda: re.search(
                r"\d+\s+voorstellen van\s+\d+\s+partners binnengekomen",
                driver.find_element(By.CSS_SELECTOR, ".jp-Notebook").text,
            ),
            60,
            "geen zin met ingevulde cijfers (jupyterlab-myst)",
        )
        assert page
    finally:
        driver.quit()
