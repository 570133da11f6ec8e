"""An inwoner in a real browser: a complete intake from an acceptance case through the chat page,
typing and clicking buttons, with the progress indicator checked at every question, a reload
half-way, axe-core on the empty, mid and finished page, screenshots at phone and desktop size,
and the draft found in the queue at the end. Also: long input and a network drop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_ARGS, axe_violations, chromium_path, screenshot
from tests.helpers.expect import mismatches
from tests.helpers.inwoner import answer_for
from tests.helpers.webapp import running_webapp

CASES = {
    c["id"]: c
    for c in yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "data" / "vignettes.yml").read_text(encoding="utf-8")
    )
}
STAPPEN_NAAM = {"gemeente": "uw woonplaats", "hulpvraag": "uw vraag", "netwerk": "mensen om u heen"}


@pytest.fixture(scope="module")
def chat_url(assistant):
    with running_webapp(assistant.database_url, assistant.rasa_url) as url:
        yield url


def state(page):
    return json.loads(page.evaluate("() => window.sessionStorage.getItem('lekstroom-chat')"))


def wait_for_reply(page, count_before):
    page.wait_for_function(
        "n => document.querySelectorAll('.bericht--assistent').length > n && document.getElementById('typen').hidden",
        arg=count_before,
        timeout=30000,
    )


def assistant_count(page):
    return page.locator(".bericht--assistent").count()


def launch(p, width=1280, height=900):
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    return browser, browser.new_page(bypass_csp=True, viewport={"width": width, "height": height})


@pytest.mark.e2e
def test_complete_intake_through_the_chat_page(chat_url, store):
    case = CASES["nah-na-herseninfarct"]
    with sync_playwright() as p:
        browser, page = launch(p)
        problems = {}
        page.goto(chat_url)
        assert page.locator("html").get_attribute("lang") == "nl"
        page.wait_for_selector(".bericht--assistent")
        page.wait_for_function("() => document.getElementById('typen').hidden")
        problems["leeg"] = axe_violations(page)
        screenshot(page, "chat-begin-desktop")
        reloaded = False
        for _ in range(40):
            current = state(page)["voortgang"]
            step = current["intake_step"]
            # the visible progress indicator says the same as the payload
            expected = f"Stap {current['progress']['step']} van {current['progress']['of']}"
            assert page.locator("#voortgang-tekst").inner_text().startswith(expected)
            if step in STAPPEN_NAAM:
                assert STAPPEN_NAAM[step] in page.locator("#voortgang-tekst").inner_text()
            before = assistant_count(page)
            text = answer_for(case, current)
            if step in (None, "bevestiging", "toestemming"):
                page.locator(".keuzes button").first.click()  # "Ja" / "Ja, dit klopt"
            else:
                page.locator("#invoer").fill(" ".join((text or "weet ik niet").split()))
                page.keyboard.press("Enter")
            wait_for_reply(page, before)
            if step == "bevestiging":
                break
            if step == "hulpvraag" and not reloaded:
                problems["midden"] = axe_violations(page)
                screenshot(page, "chat-midden-desktop")
                shown = page.locator(".bericht").count()
                page.reload()
                page.wait_for_selector(".bericht--assistent")
                assert page.locator(".bericht").count() == shown  # the conversation survived the reload
                reloaded = True
        assert reloaded
        assert "verstuurd naar het sociaal team" in page.locator(".bericht--assistent").last.inner_text()
        problems["klaar"] = axe_violations(page)
        screenshot(page, "chat-klaar-desktop")
        sender = state(page)["gesprek"].split(".")[0]  # the id the relay issued (and signed)
        phone = browser.new_page(bypass_csp=True, viewport={"width": 375, "height": 740})
        phone.goto(chat_url)
        phone.wait_for_selector(".bericht--assistent")
        screenshot(phone, "chat-begin-telefoon")
        browser.close()
    assert {k: v for k, v in problems.items() if v} == {}
    draft = store.get_by_conversation(sender)
    assert draft is not None and mismatches(draft, case["expect"]) == []


@pytest.mark.e2e
def test_long_input_gets_a_dutch_message_and_nothing_is_sent(chat_url):
    with sync_playwright() as p:
        browser, page = launch(p)
        page.goto(chat_url)
        page.wait_for_selector(".bericht--assistent")
        before = page.locator(".bericht--inwoner").count()
        page.locator("#invoer").fill("a" * 1200)
        page.keyboard.press("Enter")
        assert "te lang" in page.locator("#melding").inner_text()
        assert page.locator(".bericht--inwoner").count() == before
        browser.close()


@pytest.mark.e2e
def test_network_drop_shows_a_notice_and_the_message_is_retried(chat_url):
    with sync_playwright() as p:
        browser, page = launch(p)
        page.goto(chat_url)
        page.wait_for_selector(".keuzes button")
        page.wait_for_function("() => document.getElementById('typen').hidden")
        page.context.set_offline(True)
        before = assistant_count(page)
        page.locator(".keuzes button").first.click()
        page.wait_for_selector("#melding:not([hidden])")
        assert "verbinding is even weg" in page.locator("#melding").inner_text()
        page.context.set_offline(False)
        wait_for_reply(page, before)
        assert page.locator("#melding").is_hidden()
        assert state(page)["voortgang"]["intake_step"] == "gemeente"
        browser.close()


def test_chat_relay_refuses_bad_input(tmp_path):
    import urllib.error
    import urllib.request

    with running_webapp(f"sqlite:///{tmp_path / 'x.db'}") as url:

        def post(body):
            req = urllib.request.Request(
                f"{url}/chat/bericht", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
            )
            try:
                return urllib.request.urlopen(req).status, None
            except urllib.error.HTTPError as exc:
                return exc.code, json.load(exc)

        assert post({"message": ""})[0] == 400
        assert post(["hoi"])[0] == 400
        status, body = post({"message": "a" * 1001})
        assert status == 413 and "te lang" in body["fout"]
        status, body = post({"sender": "12345678", "message": "hoi"})  # Rasa unreachable
        assert status == 503 and "niet verloren" in body["fout"]
        page = urllib.request.urlopen(f"{url}/")
        csp = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "connect-src 'self'" in csp
        assert '<script src="/static/chat.js"' in page.read().decode()
