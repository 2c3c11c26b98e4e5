"""Screenshots of the console's main pages for docs/console.md (Debian's chromium, Playwright).

    .venv/bin/python scripts/console_screenshots.py [docs/images]

Seeds a small demo district into a temporary SQLite file, serves it on 127.0.0.1 and signs in
as the Grimma demo counsellor.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from kai_match.config import Settings
from kai_match.db import make_engine
from kai_match.demo.service import seed_demo
from kai_match.main import create_app
from kai_match.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.live_server import serve  # noqa: E402


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.db"
        engine = make_engine(Settings(database_url=url))
        upgrade(engine)
        seed_demo(engine, participants=80, vacancies=60)
        engine.dispose()
        server, thread, base = serve(create_app(Settings(database_url=url, auto_migrate=False)))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium"
                )
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.goto(base + "/")
                page.screenshot(path=out / "console-sign-in.png")
                page.get_by_label("Benutzername").fill("beratung.grimma")
                page.get_by_label("Passwort").fill("kai-demo-grimma")
                page.get_by_role("button", name="Anmelden").click()
                page.screenshot(path=out / "console-caseload.png")
                page.locator("tbody a").first.click()
                page.screenshot(path=out / "console-participant.png", full_page=True)
                page.set_viewport_size({"width": 390, "height": 800})
                page.goto(base + "/console/caseload")
                page.screenshot(path=out / "console-caseload-phone.png")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images")
