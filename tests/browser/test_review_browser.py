"""A consultant in a real browser: sign in -> queue -> draft -> edit -> approve, with axe-core on
every page (zero serious or critical violations) and screenshots in reports/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import Bericht, GebiedAntwoord
from actions.store import DraftStore
from actions.store.accounts import AccountStore
from tests.helpers.browser import CHROMIUM_ARGS, axe_violations, chromium_path, screenshot
from tests.helpers.webapp import running_webapp

PW = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def web_url(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    store = DraftStore.from_url(db)
    AccountStore(store.engine).maak_gebruiker("anna", "consultant", ["Houten"], PW)
    intake = Intake(
        conversation_id="browser-1",
        toestemming=True,
        gemeente="Houten",
        leeftijd=54,
        afgerond=True,
        hulpvraag="Sinds mijn herseninfarct raak ik het overzicht kwijt. <b>vet</b>",
        resultaatgebieden=[
            GebiedAntwoord(code="regelvermogen_structuur", doel="Zelf mijn agenda bijhouden", type="ontwikkelen")
        ],
        netwerk="Mijn vrouw helpt, maar zij is op.",
        transcript=[
            Bericht(van="assistent", tekst="Waar loopt u tegenaan?"),
            Bericht(van="inwoner", tekst="Ik raak het overzicht kwijt.", stap="hulpvraag"),
        ],
    )
    store.submit(classify(intake, load_policy()), intake=intake)
    with running_webapp(db) as url:
        yield url


def test_sign_in_queue_draft_edit_approve_with_axe(web_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
        problems = {}

        page.goto(f"{web_url}/review")
        assert page.url.endswith("/review/inloggen")
        problems["inloggen"] = axe_violations(page)
        screenshot(page, "review-inloggen")
        page.get_by_label("Gebruikersnaam").fill("anna")
        page.get_by_label("Wachtwoord").fill(PW)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{web_url}/review")
        problems["wachtrij"] = axe_violations(page)
        screenshot(page, "review-wachtrij")

        page.locator("table a.utrecht-link").first.click()
        page.wait_for_url("**/review/concepten/*")
        assert "TIO-12-ONT-GEM" in page.content()
        assert "<b>vet</b>" not in page.content()  # shown as text
        problems["concept"] = axe_violations(page)
        screenshot(page, "review-concept")

        page.locator("#omst_verminderd_regelvermogen").check()
        page.locator("#w-waarom").fill("Inwoner vertelde dit aan de telefoon")
        page.get_by_role("button", name="Opslaan en opnieuw indelen").click()
        page.wait_for_load_state()
        assert "opnieuw ingedeeld" in page.content() and "TIO-12-ONT-PLUS" in page.content()

        page.get_by_role("button", name="Goedkeuren").click()
        page.wait_for_load_state()
        assert "De indicatie is goedgekeurd." in page.content()
        problems["goedgekeurd"] = axe_violations(page)

        page.goto(f"{web_url}/review/overzicht")
        problems["overzicht"] = axe_violations(page)
        screenshot(page, "review-overzicht")
        phone = browser.new_page(bypass_csp=True, viewport={"width": 375, "height": 740})
        phone.goto(f"{web_url}/review/inloggen")
        screenshot(phone, "review-inloggen-telefoon")
        browser.close()
    assert {k: v for k, v in problems.items() if v} == {}
