"""Open the imported dashboard in headless Chromium, as a person would, and save a screenshot.

The check's API calls run each chart's saved query; the browser draws the dashboard from the
charts' form data instead (Superset's frontend builds its own queries from it), so this is what
shows that every chart draws: it fails if a chart shows an error or has not drawn in time.
Run with Superset's virtualenv (it has selenium) and Debian's chromium + chromium-driver:

    var/superset/venv/bin/python bi/superset/screenshot.py URL PASSWORD_FILE OUT.png
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

CHART = "[data-test='chart-grid-component']"
ERROR = f"{CHART} .alert-danger, {CHART} [role='alert']"
LOADING = f"{CHART} .loading"
# what a drawn chart holds: an ECharts canvas, a table, or a big number's figure
DRAWN = "canvas, table, .header-line"


def main(url: str, secrets: Path, out: Path, wait: float = 120) -> None:
    base = url.split("/superset/")[0]
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--window-size=1600,3000"):
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    # Debian's driver, named: else Selenium Manager goes looking for a browser on the internet
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.get(base + "/login/")
        password = json.loads(secrets.read_text())["admin_password"]
        driver.find_element(By.ID, "username").send_keys("admin")
        driver.find_element(By.ID, "password").send_keys(password + "\n")
        time.sleep(3)
        driver.get(url)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            charts = driver.find_elements(By.CSS_SELECTOR, CHART)
            if charts and not driver.find_elements(By.CSS_SELECTOR, LOADING):
                break
            time.sleep(2)
        time.sleep(5)  # echarts animate for about a second after the data arrives
        driver.save_screenshot(str(out))
        charts = driver.find_elements(By.CSS_SELECTOR, CHART)
        errors = [e.text[:200] for e in driver.find_elements(By.CSS_SELECTOR, ERROR)]
        drawn = [c for c in charts if c.find_elements(By.CSS_SELECTOR, DRAWN)]
        print(f"{len(charts)} charts on the page, {len(drawn)} drawn, {len(errors)} showing an "
              f"error; screenshot {out}")
        for error in errors:
            print("  error:", error)
        if not charts or errors or len(drawn) != len(charts):
            raise SystemExit(1)
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
