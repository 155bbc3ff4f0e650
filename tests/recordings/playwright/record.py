"""Record the HAR files in this folder with Playwright, and what Playwright replays of them.

    python tests/recordings/playwright/record.py [CHROMIUM]

Needs `pip install playwright` and a Chromium (by default /usr/bin/chromium; Playwright's
own download works too, with CHROMIUM left out). Chromium fetches four routes of the test
server in `../conftest.py` while Playwright records, once per way Playwright stores bodies:

- `embed.har`: `record_har_content="embed"` (bodies in `content.text`),
- `attach.har` + its sibling body files: `record_har_content="attach"`,
- `attach.har.zip`: a path ending in `.zip` (the HAR as `har.har`, bodies beside it),
- `omit.har`: `record_har_content="omit"` (no bodies kept).

`expected.json` is the reference the tests compare with: for each file, what Playwright's
own HAR reader serves back (`route_from_har`, then fetching each route again), as status
and base64 body per route. Files are written once and committed; nothing here runs in CI.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from conftest import _Handler  # noqa: E402  (the server the other recorders use)

ROUTES = ("/json?page=1", "/gzip", "/empty", "/binary")
VARIANTS = {"embed.har": "embed", "attach.har": "attach", "attach.har.zip": None,
            "omit.har": "omit"}
# Chromium's fetch() from the page: the body as Playwright's route serves it, in base64.
FETCH = """async url => {
  const response = await fetch(url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return {status: response.status, body: btoa(text)};
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/chromium"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    expected: dict[str, Any] = {}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=chromium or None)
        for name, content in VARIANTS.items():
            target = Path(scratch) / name
            options: dict[str, Any] = {"record_har_path": str(target)}
            if content:
                options["record_har_content"] = content
            context = browser.new_context(**options)
            page = context.new_page()
            page.goto(f"{origin}/json?page=0")  # an origin for fetch(); recorded too
            for route in ROUTES:
                page.evaluate(FETCH, origin + route)
            context.close()
            if content != "omit":
                expected[name] = replayed(browser, target, origin)
        browser.close()
        _copy_out(Path(scratch))
    httpd.shutdown()
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


def replayed(browser: Any, har: Path, origin: str) -> list[dict[str, Any]]:
    """What Playwright's own HAR reader serves for every route: its reading of the file."""
    context = browser.new_context()
    context.route_from_har(str(har), not_found="abort")
    page = context.new_page()
    page.goto(f"{origin}/json?page=0")
    served = [{"route": route, **page.evaluate(FETCH, origin + route)} for route in ROUTES]
    context.close()
    return served


def _copy_out(scratch: Path) -> None:
    for old in HERE.iterdir():
        if old.name not in ("record.py", "README.md") and old.is_file():
            old.unlink()
    for made in scratch.iterdir():
        shutil.copy(made, HERE / made.name)


if __name__ == "__main__":
    main()
