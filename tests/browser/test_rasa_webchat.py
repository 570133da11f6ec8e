"""The standard `rasa-webchat` widget (npm) holds the same conversation over Rasa's socket.io channel."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_ARGS, ROOT, chromium_path, screenshot

WIDGET = ROOT / "bot" / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"


@pytest.mark.e2e
def test_rasa_webchat_widget_holds_the_intake(assistant, tmp_path):
    (tmp_path / "rasa-webchat.js").write_bytes(WIDGET.read_bytes())
    (tmp_path / "index.html").write_text(
        f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>webchat</title></head>
<body><div id="webchat" style="height:600px;width:600px"></div><script src="rasa-webchat.js"></script>
<script>WebChat.default({{selector: "#webchat", initPayload: "Hallo", embedded: true,
  socketUrl: {json.dumps(assistant.rasa_url)}, socketPath: "/socket.io/", params: {{storage: "session"}}}}, null);</script>
</body></html>""",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_selector("text=Vindt u het goed", timeout=60000)
            page.locator(".rw-reply", has_text="Ja").first.click()
            page.wait_for_selector("text=In welke plaats woont u?", timeout=30000)
            page.locator(".rw-new-message").fill("Ik woon in Lopik")
            page.keyboard.press("Enter")
            page.wait_for_selector("text=Hoe oud bent u?", timeout=30000)
            screenshot(page, "rasa-webchat")
            session = json.loads(page.evaluate("() => window.sessionStorage.getItem('chat_session')"))
            browser.close()
    finally:
        server.shutdown()
    tracker = assistant.tracker(session["session_id"])
    assert tracker["slots"]["gemeente"] == "Lopik"
