"""The analysis page in a real browser (Debian's Chromium): an admin signs in, opens
/review/analyse with figures of several intakes and decisions, filters by gemeente, and axe-core
finds no serious or critical violation; the screenshot goes to reports/screenshots/analyse.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from actions.analyse.codes import Verkleiner
from actions.analyse.verwerker import Verwerker
from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import GebiedAntwoord
from actions.review import FeitenWijziging, GebiedFeit, ReviewService
from actions.store import DraftStore
from actions.store.accounts import AccountStore
from tests.helpers.browser import CHROMIUM_ARGS, axe_violations, chromium_path, screenshot
from tests.helpers.webapp import running_webapp

PW = "een-lang-wachtwoord"
POLICY = load_policy()
STAPPEN = ["toestemming", "gemeente", "leeftijd", "hulpvraag", "resultaatgebieden", "doelen", "type_ondersteuning"]


def vraag(stap):
    return {"event": "bot", "data": {"custom": {"intake_step": stap, "resultaatgebied": None, "progress": {}}}}


def intake(cid, gemeente, tot, niet_begrepen=0, eind=None):
    """Events of an intake that answers the steps up to `tot` and then ends with `eind` (slot, value)."""
    events = [{"event": "user", "text": "Hallo"}]
    for stap in STAPPEN[: STAPPEN.index(tot) + 1]:
        events.append(vraag(stap))
        if stap == "gemeente" and niet_begrepen:
            events += [{"event": "slot", "name": "pogingen", "value": {"gemeente": niet_begrepen}}, vraag("gemeente")]
        events.append({"event": "user", "text": "/affirm"})
        if stap == "gemeente":
            events.append({"event": "slot", "name": "gemeente", "value": gemeente})
    if eind:
        events.append({"event": "slot", "name": eind[0], "value": eind[1]})
    return [{**e, "sender_id": cid} for e in events]


@pytest.fixture(scope="module")
def web_url(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('analyse') / 'web.db'}"
    store = DraftStore.from_url(db)
    accounts = AccountStore(store.engine)
    accounts.maak_gebruiker("beheer", "admin", [], PW)
    verkleiner = Verkleiner(POLICY.gemeenten, POLICY.resultaatgebieden)
    items = []
    for i, (gemeente, tot, nb, eind) in enumerate(
        [
            ("Houten", "type_ondersteuning", 1, ("afgerond", True)),
            ("Houten", "hulpvraag", 0, ("gestopt", True)),
            ("Lopik", "type_ondersteuning", 2, ("afgerond", True)),
            ("Nieuwegein", "gemeente", 0, None),
            ("IJsselstein", "resultaatgebieden", 1, ("gestopt", True)),
        ]
    ):
        for j, e in enumerate(intake(f"b{i}", gemeente, tot, nb, eind)):
            items += [(f"b{i}", 1_790_000_000 + 600 * i + 20 * j, c) for c in verkleiner.codes(e)]
    Verwerker(store.engine).verwerk(items)
    review = ReviewService(store, POLICY)
    beheer = accounts.gebruiker("beheer")
    for cid, gemeente, wijzig in (("d1", "Houten", True), ("d2", "Lopik", False)):
        i = Intake(
            conversation_id=cid,
            toestemming=True,
            gemeente=gemeente,
            leeftijd=40,
            afgerond=True,
            resultaatgebieden=[GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen")],
        )
        d = store.submit(classify(i, POLICY), intake=i)
        if wijzig:
            w = FeitenWijziging(resultaatgebieden=[GebiedFeit(code="zelfzorg_gezondheid", type="behouden")])
            d = review.wijzig(beheer, d.id, d.versie, w, "andere hulpvraag")
        review.goedkeuren(beheer, d.id, d.versie)
    with running_webapp(db) as url:
        yield url


def test_analysis_page_with_axe_and_screenshot(web_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(bypass_csp=True, viewport={"width": 1280, "height": 900})
        page.goto(f"{web_url}/review/inloggen")
        page.get_by_label("Gebruikersnaam").fill("beheer")
        page.get_by_label("Wachtwoord").fill(PW)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{web_url}/review")
        page.get_by_role("link", name="Analyse").click()
        page.wait_for_url(f"{web_url}/review/analyse")
        inhoud = page.content()
        assert "Trechter per vraag" in inhoud and "5 intake(s)" in inhoud
        assert page.locator("svg[role=img] rect").count() > 0
        rij = page.get_by_role("row", name="Woonplaats")
        assert rij.locator("td").nth(0).inner_text() == "5"  # reached
        assert "50.0%" in page.get_by_role("row", name="Resultaatgebieden").inner_text()  # 1 of 2 kept
        problems = {"analyse": axe_violations(page)}
        screenshot(page, "analyse")

        page.get_by_label("Gemeente").select_option("Houten")
        page.get_by_role("button", name="Toon").click()
        page.wait_for_url("**/review/analyse?*gemeente=Houten*")
        assert "2 intake(s)" in page.content()
        problems["analyse-houten"] = axe_violations(page)
        link = page.get_by_role("link", name="Download alle cijfers als CSV")
        assert link.get_attribute("href") == "/review/analyse.csv?gemeente=Houten"
        browser.close()
    assert problems == {k: [] for k in problems}
