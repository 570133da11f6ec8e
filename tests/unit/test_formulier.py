"""Fast action tests: the intake form's validators, built on small tracker fixtures.

Every question of the question table (`vraagtabel.VRAGEN`) has a fixture
tests/data/trackers/<slot>.json: the tracker state at that question with a typical answer as the
latest message. The tests call `ValidateIntakeForm().validate_<slot>` (and once the whole
`FormValidationAction.run`) and assert on the returned slots and events. No Rasa model and no
servers: the readers' scikit-learn models are loaded (or trained) once per session, and the store
is a SQLite file in a temporary directory.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import context, onderbreking
from actions.intake.bericht import Bericht
from actions.intake.context import contact_zin, policy, tekst
from actions.intake.formulier import EIGEN_AFHANDELING, ValidateIntakeForm
from actions.intake.lezers import LEZERS, standaard
from actions.intake.vraagtabel import FORM_SLOTS, ONBEKEND, PER_SLOT, VRAGEN, Vraag, volgende_vragen
from actions.nlp import tekstmodellen

ROOT = Path(__file__).resolve().parents[2]
TRACKERS = ROOT / "tests" / "data" / "trackers"
DOMAIN_DIR = ROOT / "bot" / "domain"

# What the typical answer of each fixture gives (a subset of the returned slot dict).
VERWACHT: Dict[str, Dict[str, Any]] = {
    "bevestig_onderbreking": {"bevestig_onderbreking": "ja", "te_bevestigen": None, "gestopt": True},
    "veiligheid_check": {"veiligheid_check": "ja", "veiligheid_soort": ["zelf"], "veiligheid_twijfel": None},
    "veiligheid_keuze": {"veiligheid_keuze": "verder"},
    "toestemming": {"toestemming": True, "laatste_onderbreking": None},
    "buiten_regio_bevestigd": {"buiten_regio_bevestigd": True, "buiten_regio": True, "laatste_onderbreking": None},
    "plaats_bevestigd": {"plaats_bevestigd": None, "plaats_dubbel": None, "gemeente": "Houten"},
    "gemeente": {"gemeente": "Houten", "woonplaats": "Houten", "laatste_onderbreking": None},
    "leeftijd": {"leeftijd": 45, "laatste_onderbreking": None},
    "hulpvraag": {
        "hulpvraag": "Ik kan mijn post en rekeningen niet meer bijhouden.",
        "gebieden_voorstel": ["administratie_financien"],
        "laatste_onderbreking": None,
    },
    "resultaatgebieden": {"gebieden_bevestigd": None, "laatste_onderbreking": None},
    "gebieden_bevestigd": {"gebieden_bevestigd": True, "laatste_onderbreking": None},
    "doel": {
        "doel": None,
        "gebieden": [{"code": "administratie_financien", "doel": "dat ik zelf mijn post weer kan bijhouden"}],
        "laatste_onderbreking": None,
    },
    "type_ondersteuning": {"type_ondersteuning": None, "laatste_onderbreking": None},
    "prioriteit": {"prioriteit": "administratie_financien", "laatste_onderbreking": None},
    "eigen_kracht": {
        "eigen_kracht": "ik leg de brieven op een stapel en mijn dochter kijkt er soms naar",
        "laatste_onderbreking": None,
    },
    "netwerk": {"netwerk": "mijn dochter helpt, maar zij is overbelast", "laatste_onderbreking": None},
    "voorliggend_veld": {"voorliggend_veld": "nee, ik ben nog nergens geweest", "laatste_onderbreking": None},
    "verzwarende_omstandigheden": {"verzwarende_omstandigheden": "ik heb schulden", "laatste_onderbreking": None},
    "duur": {"duur": "al twee jaar", "duur_maanden": 24, "laatste_onderbreking": None},
    "frequentie": {"frequentie": "een paar keer per week", "frequentie_code": "paar_keer_per_week"},
    "planbaar": {"planbaar": "nee, het komt vaak onverwacht", "te_plannen": False},
    "contact": {"contact": "bel me maar op mijn mobiel", "contact_voorkeur": ["bellen"], "laatste_onderbreking": None},
    "correctie_onderwerp": {"leeftijd": None, "bevestiging": None, "correctie_onderwerp": None},
    "bevestiging": {"bevestiging": True, "laatste_onderbreking": None},
}
# questions whose reader understands any answer (so there is no retry to test)
# (the type model always picks a type for a non-empty answer, so the type question has no retry either)
ALTIJD_BEGREPEN = {"buiten_regio_bevestigd", "type_ondersteuning"}
ONZIN = ["qwerty zxcvb", "asdfgh jklpoi", "mnbvc lkjhg"]  # a different not-understood answer per try


# -- helpers -----------------------------------------------------------------------------------------


def toestand(naam: str) -> Dict[str, Any]:
    pad = TRACKERS / f"{naam}.json"
    if not pad.exists():
        pytest.fail(f"no tracker fixture {pad.relative_to(ROOT)}: add one for this question")
    return json.loads(pad.read_text(encoding="utf-8"))


def tracker_uit(
    naam: str,
    tekst_: Optional[str] = None,
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    **slots: Any,
) -> Tracker:
    """A rasa_sdk Tracker from fixture `naam`, optionally with another message or other slots.
    Its events end with the user message and the requested slot's candidate, as Rasa sends them."""
    state = copy.deepcopy(toestand(naam))
    latest = state["latest_message"]
    if tekst_ is not None:
        latest["text"] = tekst_
        latest["intent"] = {"name": intent or "inform", "confidence": 0.9}
        latest["entities"] = entities or []
    requested = state["slots"].get("requested_slot")
    state["slots"].update(slots)
    if requested:
        state["slots"][requested] = latest["text"]
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": latest["text"], "parse_data": latest},
    ]
    if requested:
        events.append({"event": "slot", "name": requested, "value": latest["text"]})
    return Tracker(
        state["sender_id"],
        state["slots"],
        latest,
        events,
        False,
        None,
        state.get("active_loop") or {},
        "action_listen",
    )


def valideer(slot: str, tracker: Tracker, dispatcher: Optional[CollectingDispatcher] = None) -> Dict[str, Any]:
    zeg = dispatcher if dispatcher is not None else CollectingDispatcher()
    value = tracker.latest_message.get("text")
    return asyncio.run(getattr(ValidateIntakeForm(), f"validate_{slot}")(value, zeg, tracker, {}))


def teksten(zeg: CollectingDispatcher) -> List[str]:
    return [m.get("text") or "" for m in zeg.messages]


def domein() -> Dict[str, Any]:
    """bot/domain/*.yml merged, as the action server receives the domain."""
    result: Dict[str, Any] = {}
    for pad in sorted(DOMAIN_DIR.glob("*.yml")):
        for key, value in (yaml.safe_load(pad.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, dict):
                result.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                result.setdefault(key, []).extend(value)
            else:
                result[key] = value
    return result


def deelverzameling(result: Dict[str, Any], verwacht: Dict[str, Any]) -> Dict[str, Any]:
    return {k: result.get(k, "<ontbreekt>") for k in verwacht}


@pytest.fixture(scope="session", autouse=True)
def modellen():
    """The readers' models, loaded (or trained from data/corpus) once for the session. A saved file
    that no longer unpickles with the current code is treated as missing: trained in memory."""
    try:
        yield tekstmodellen.geladen()
    except (AttributeError, ImportError, EOFError, ValueError):
        getraind = tekstmodellen.train(opslaan=None)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(tekstmodellen, "geladen", lambda: getraind)
            yield getraind


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("LEKSTROOM_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    context._store.cache_clear()
    yield
    context._store.cache_clear()


# -- every question with a typical answer --------------------------------------------------------------


@pytest.mark.parametrize("vraag", VRAGEN, ids=lambda v: v.slot)
def test_typisch_antwoord(vraag: Vraag):
    assert vraag.slot in VERWACHT, f"add the expected result of tests/data/trackers/{vraag.slot}.json to VERWACHT"
    tracker = tracker_uit(vraag.slot)
    result = valideer(vraag.slot, tracker)
    verwacht = VERWACHT[vraag.slot]
    onderbroken = result.get("laatste_onderbreking")
    assert deelverzameling(result, verwacht) == verwacht, (
        f"{vraag.slot}: {tracker.latest_message['text']!r} gave {result}"
        + (f" (read as an interruption: {onderbroken})" if onderbroken else "")
    )


# at the correction question a correction request names the topic just as well: the same result
@pytest.mark.parametrize(
    "vraag", [v for v in VRAGEN if v.slot not in (*EIGEN_AFHANDELING, "correctie_onderwerp")], ids=lambda v: v.slot
)
def test_typisch_antwoord_is_geen_onderbreking(vraag: Vraag):
    tracker = tracker_uit(vraag.slot)
    bericht = Bericht.uit(tracker)
    soort = onderbreking.herken(bericht)
    assert soort is None, (
        f"BUG: the typical answer {bericht.tekst!r} to {vraag.slot} is taken as the interruption {soort!r} "
        "(onderbreking.herken: the interruption model alone is at least ZEKER sure); the answer is lost"
    )


@pytest.mark.parametrize("vraag", VRAGEN, ids=lambda v: v.slot)
def test_fixture_staat_bij_zijn_vraag(vraag: Vraag):
    """Each fixture is a real moment of the intake: its question is the first one still open."""
    state = toestand(vraag.slot)
    assert state["slots"]["requested_slot"] == vraag.slot
    slots = {k: v for k, v in state["slots"].items() if k != vraag.slot}
    open_ = [s for s in volgende_vragen(slots, policy().leeftijd.minimum) if slots.get(s) is None]
    assert open_ and open_[0] == vraag.slot, f"{vraag.slot}.json: first open question is {open_[:1]}"


def test_type_bij_een_gebied():
    result = valideer("type_ondersteuning", tracker_uit("type_ondersteuning"))
    (gebied,) = result["gebieden"]
    assert gebied["code"] == "administratie_financien"
    assert gebied["type"] == "ontwikkelen"
    assert gebied["type_toelichting"] == "ik wil het graag zelf leren"
    assert gebied["doel"] == "zelf mijn post bijhouden"


def test_gebieden_uit_het_verhaal_blijven():
    """At the areas question, the proposal from the story stays and what is added joins it."""
    result = valideer("resultaatgebieden", tracker_uit("resultaatgebieden"))
    assert result["resultaatgebieden"][0] == "administratie_financien"
    assert len(result["resultaatgebieden"]) >= 2
    assert [g["code"] for g in result["gebieden"]] == result["resultaatgebieden"]


def test_gebieden_voorstel_met_ja():
    result = valideer("resultaatgebieden", tracker_uit("resultaatgebieden", "ja", "affirm"))
    assert result["resultaatgebieden"] == ["administratie_financien"]
    assert result["gebieden"] == [{"code": "administratie_financien"}]


# -- interruptions ----------------------------------------------------------------------------------


def test_waarom():
    zeg = CollectingDispatcher()
    result = valideer("leeftijd", tracker_uit("leeftijd", "waarom wil je dat weten?", "ask_why"), zeg)
    assert result == {
        "leeftijd": None,
        "laatste_onderbreking": {"slot": "leeftijd", "tekst": "waarom wil je dat weten", "soort": "waarom"},
    }
    assert teksten(zeg) == [tekst("waarom.leeftijd")]


def test_waarom_knop():
    zeg = CollectingDispatcher()
    result = valideer("gemeente", tracker_uit("gemeente", "/ask_why", "ask_why"), zeg)
    assert result["gemeente"] is None and result["laatste_onderbreking"]["slot"] == "gemeente"
    assert teksten(zeg) == [tekst("waarom.gemeente")]


def test_mens():
    zeg = CollectingDispatcher()
    result = valideer("leeftijd", tracker_uit("leeftijd", "ik wil een mens spreken", "ask_human"), zeg)
    assert result == {
        "leeftijd": None,
        "laatste_onderbreking": {"slot": "leeftijd", "tekst": "ik wil een mens spreken", "soort": "mens"},
    }
    assert teksten(zeg) == [tekst("antwoorden.mens", contact=contact_zin("Houten"))]


@pytest.mark.parametrize(
    ("zin", "intent", "actie"),
    [("ik wil stoppen", "stop", "stoppen"), ("verwijder mijn gegevens", "delete_data", "wissen")],
)
def test_stoppen_en_wissen_worden_eerst_bevestigd(zin, intent, actie):
    zeg = CollectingDispatcher()
    tracker = tracker_uit("hulpvraag", zin, intent)
    result = valideer("hulpvraag", tracker, zeg)
    assert result == {
        "hulpvraag": None,
        "te_bevestigen": {"actie": actie, "slot": "hulpvraag", "tekst": zin},
        "bevestig_onderbreking": None,
    }
    tracker.slots.update(result)
    assert volgende_vragen(tracker.current_slot_values())[0] == "bevestig_onderbreking"


def test_opnieuw():
    zeg = CollectingDispatcher()
    result = valideer("hulpvraag", tracker_uit("hulpvraag", "ik wil opnieuw beginnen", "start_over"), zeg)
    assert result == {
        **onderbreking.alles_leeg(),
        "laatste_onderbreking": {"slot": None, "tekst": None, "soort": "opnieuw"},
    }
    assert result["toestemming"] is None and result["gemeente"] is None
    assert teksten(zeg) == [tekst("antwoorden.opnieuw")]


def test_corrigeren_met_onderwerp():
    zeg = CollectingDispatcher()
    entities = [{"entity": "onderwerp", "value": "leeftijd"}]
    tracker = tracker_uit("hulpvraag", "ik wil mijn leeftijd veranderen", "correct", entities)
    result = valideer("hulpvraag", tracker, zeg)
    assert result["leeftijd"] is None and result["bevestiging"] is None and result["hulpvraag"] is None
    assert result["laatste_onderbreking"] == {
        "slot": "hulpvraag",
        "tekst": "ik wil mijn leeftijd veranderen",
        "soort": "corrigeren",
    }
    assert "correctie_gevraagd" in result and result["correctie_gevraagd"] is None
    assert teksten(zeg) == [tekst("antwoorden.correctie_ok")]


def test_corrigeren_met_nieuwe_leeftijd():
    tracker = tracker_uit("hulpvraag", "ik wil mijn leeftijd verbeteren, ik ben 54 jaar oud", "correct")
    result = valideer("hulpvraag", tracker)
    assert result["leeftijd"] == 54
    assert result["hulpvraag"] is None


def test_corrigeren_zonder_onderwerp():
    zeg = CollectingDispatcher()
    tracker = tracker_uit("hulpvraag", "ik wil iets veranderen", "correct")
    result = valideer("hulpvraag", tracker, zeg)
    assert result == {
        "hulpvraag": None,
        "laatste_onderbreking": {"slot": "hulpvraag", "tekst": "ik wil iets veranderen", "soort": "corrigeren"},
        "correctie_gevraagd": True,
        "correctie_onderwerp": None,
    }
    tracker.slots.update(result)
    assert "correctie_onderwerp" in volgende_vragen(tracker.current_slot_values())


# -- the stop confirmation --------------------------------------------------------------------------


def test_stop_bevestigd():
    zeg = CollectingDispatcher()
    result = valideer("bevestig_onderbreking", tracker_uit("bevestig_onderbreking"), zeg)
    assert result == {"bevestig_onderbreking": "ja", "te_bevestigen": None, "gestopt": True}
    assert teksten(zeg) == [tekst("antwoorden.gestopt", contact=contact_zin("Houten"))]
    assert volgende_vragen({**tracker_uit("bevestig_onderbreking").current_slot_values(), **result}) == []


def test_wissen_bevestigd():
    zeg = CollectingDispatcher()
    te_bevestigen = {"actie": "wissen", "slot": "hulpvraag", "tekst": "verwijder mijn gegevens"}
    result = valideer("bevestig_onderbreking", tracker_uit("bevestig_onderbreking", te_bevestigen=te_bevestigen), zeg)
    assert result == {
        "bevestig_onderbreking": "ja",
        "te_bevestigen": None,
        "gestopt": True,
        "gegevens_verwijderd": True,
    }
    assert teksten(zeg)[0] == tekst("antwoorden.verwijderd")
    assert zeg.messages[-1].get("custom") == {"gewist": True}


def test_stop_niet_bevestigd_dan_is_dezelfde_tekst_het_antwoord():
    zeg = CollectingDispatcher()
    result = valideer("bevestig_onderbreking", tracker_uit("bevestig_onderbreking", "nee", "deny"), zeg)
    marker = {"slot": "hulpvraag", "tekst": "ik wil stoppen"}
    assert result == {"bevestig_onderbreking": None, "te_bevestigen": None, "laatste_onderbreking": marker}
    assert teksten(zeg) == [tekst("antwoorden.we_gaan_verder")]
    # the same words again at the same question: now they are the answer
    tracker = tracker_uit("hulpvraag", "ik wil stoppen", "stop", laatste_onderbreking=marker)
    result = valideer("hulpvraag", tracker)
    assert result["hulpvraag"] == "ik wil stoppen"
    assert result["laatste_onderbreking"] is None
    assert "te_bevestigen" not in result


# -- the retry rule and the repeated-text rule -------------------------------------------------------

TE_HERHALEN = [v for v in VRAGEN if not v.vrije_tekst and v.slot not in {*EIGEN_AFHANDELING, *ALTIJD_BEGREPEN}]


def _teller(vraag: Vraag, tracker: Tracker) -> str:
    if not vraag.per_gebied:
        return vraag.slot
    gebied = next(g["code"] for g in tracker.get_slot("gebieden") if not g.get(vraag.per_gebied))
    return f"{vraag.slot}:{gebied}"


@pytest.mark.parametrize("vraag", TE_HERHALEN, ids=lambda v: v.slot)
def test_niet_begrepen_opnieuw_dan_standaard(vraag: Vraag):
    pogingen: Dict[str, int] = {}
    laatste = None
    for poging in range(vraag.pogingen + 1):
        zin = ONZIN[poging]
        tracker = tracker_uit(vraag.slot, zin, "nlu_fallback", pogingen=pogingen, laatste_onderbreking=laatste)
        bericht = Bericht.uit(tracker)
        assert LEZERS[vraag.lezer](bericht, CollectingDispatcher()) is None, f"{zin!r} is understood at {vraag.slot}"
        zeg = CollectingDispatcher()
        result = valideer(vraag.slot, tracker, zeg)
        teller = _teller(vraag, tracker)
        if poging < vraag.pogingen:  # asked again
            assert result[vraag.slot] is None
            assert result["pogingen"] == {**pogingen, teller: poging + 1}
            assert result["laatste_onderbreking"] == {"slot": vraag.slot, "tekst": zin}
            verwacht = "antwoorden.niet_begrepen" if poging == 0 else "antwoorden.niet_begrepen_mens"
            contact = contact_zin(tracker.get_slot("gemeente"))
            assert tekst(verwacht, contact=contact) in teksten(zeg)
            pogingen, laatste = result["pogingen"], result["laatste_onderbreking"]
        else:  # after the question's tries: its default, and the form moves on
            standaard_ = standaard(vraag.slot, bericht, CollectingDispatcher())
            assert result == {**standaard_, "pogingen": {**pogingen, teller: poging + 1}}


def test_gemeente_twee_keer_opnieuw_met_knop_naar_een_mens():
    zeg = CollectingDispatcher()
    tracker = tracker_uit("gemeente", ONZIN[1], "nlu_fallback", pogingen={"gemeente": 1})
    result = valideer("gemeente", tracker, zeg)
    assert result["gemeente"] is None and result["pogingen"] == {"gemeente": 2}
    assert any(b.get("payload") == "/ask_human" for m in zeg.messages for b in m.get("buttons") or [])


def test_zelfde_tekst_na_onderbreking_is_het_antwoord():
    """A message that interrupted once is read as the answer when it comes again (never a loop)."""
    zin = "waarom wil je dat weten?"
    eerst = valideer("leeftijd", tracker_uit("leeftijd", zin, "ask_why"))
    assert eerst["laatste_onderbreking"] == {"slot": "leeftijd", "tekst": "waarom wil je dat weten", "soort": "waarom"}
    zeg = CollectingDispatcher()
    tracker = tracker_uit("leeftijd", zin, "ask_why", laatste_onderbreking=eerst["laatste_onderbreking"])
    result = valideer("leeftijd", tracker, zeg)
    assert result == {"leeftijd": ONBEKEND, "laatste_onderbreking": None}  # not understood twice: moves on
    assert tekst("waarom.leeftijd") not in teksten(zeg)


def test_zelfde_onbegrepen_tekst_gaat_door():
    eerst = valideer("gemeente", tracker_uit("gemeente", ONZIN[0], "nlu_fallback"))
    assert eerst["gemeente"] is None
    tracker = tracker_uit(
        "gemeente", ONZIN[0], "nlu_fallback", **{k: eerst[k] for k in ("pogingen", "laatste_onderbreking")}
    )
    result = valideer("gemeente", tracker)
    assert result == {"gemeente": ONBEKEND, "laatste_onderbreking": None}


def test_marker_van_een_andere_vraag_telt_niet():
    marker = {"slot": "gemeente", "tekst": "waarom wil je dat weten"}
    result = valideer(
        "leeftijd", tracker_uit("leeftijd", "waarom wil je dat weten?", "ask_why", laatste_onderbreking=marker)
    )
    assert result["laatste_onderbreking"] == {"slot": "leeftijd", "tekst": "waarom wil je dat weten", "soort": "waarom"}


# -- danger ------------------------------------------------------------------------------------------

GEVAAR = "Ik kan mijn post niet meer bijhouden en ik wil niet meer leven"


def test_gevaar_bij_vrije_tekst():
    zeg = CollectingDispatcher()
    tracker = tracker_uit("hulpvraag", GEVAAR)
    result = valideer("hulpvraag", tracker, zeg)
    assert result["hulpvraag"] == GEVAAR  # kept as the answer
    assert result["veiligheid"] == GEVAAR
    assert "zelf" in result["veiligheid_soort"]
    assert result["veiligheid_keuze"] is None
    assert Bericht(GEVAAR).sleutel() in result["alarm_gezien"]
    assert teksten(zeg)[0].startswith(tekst("antwoorden.veiligheid"))
    for h in policy().hulplijnen:
        assert h.naam in teksten(zeg)[0]
    # with consent an urgent draft is queued at once
    assert result["urgent_ingediend"] is True
    assert tekst("antwoorden.veiligheid_urgent") in teksten(zeg)
    draft = context.store().get_by_conversation(tracker.sender_id)
    assert draft is not None and draft.urgent
    # the form then asks whether to go on
    slots = {**tracker.current_slot_values(), **result}
    assert volgende_vragen(slots)[0] == "veiligheid_keuze"


def test_gevaar_zonder_toestemming_geen_concept():
    zeg = CollectingDispatcher()
    tracker = tracker_uit("hulpvraag", GEVAAR, toestemming=None)
    result = valideer("hulpvraag", tracker, zeg)
    assert result["veiligheid"] == GEVAAR and "urgent_ingediend" not in result
    assert context.store().get_by_conversation(tracker.sender_id) is None


def test_gevaar_bij_een_gewone_vraag():
    zeg = CollectingDispatcher()
    result = valideer("leeftijd", tracker_uit("leeftijd", "mijn man slaat me", toestemming=None), zeg)
    assert result["leeftijd"] is None
    assert result["veiligheid"] == "mijn man slaat me"
    assert "slachtoffer" in result["veiligheid_soort"]
    assert teksten(zeg)[0].startswith(tekst("antwoorden.veiligheid"))


def test_gezien_gevaar_is_daarna_het_antwoord():
    gezien = [Bericht(GEVAAR).sleutel()]
    zeg = CollectingDispatcher()
    result = valideer("hulpvraag", tracker_uit("hulpvraag", GEVAAR, alarm_gezien=gezien), zeg)
    assert result["hulpvraag"] == GEVAAR and "veiligheid" not in result
    assert teksten(zeg) == []


def test_check_vraag_ja_markeert():
    zeg = CollectingDispatcher()
    tracker = tracker_uit("veiligheid_check")
    result = valideer("veiligheid_check", tracker, zeg)
    twijfel = toestand("veiligheid_check")["slots"]["veiligheid_twijfel"]
    assert result["veiligheid_check"] == "ja"
    assert result["veiligheid"] == twijfel["tekst"]
    assert result["veiligheid_soort"] == ["zelf"]
    assert result["alarm_gezien"] == [Bericht(twijfel["tekst"]).sleutel()]
    assert result["urgent_ingediend"] is True


def test_check_vraag_nee_leest_het_antwoord():
    zeg = CollectingDispatcher()
    result = valideer("veiligheid_check", tracker_uit("veiligheid_check", "nee", "deny"), zeg)
    twijfel = toestand("veiligheid_check")["slots"]["veiligheid_twijfel"]
    assert result["veiligheid_check"] is None and result["veiligheid_twijfel"] is None
    assert "veiligheid" not in result
    assert result["alarm_gezien"] == [Bericht(twijfel["tekst"]).sleutel()]
    assert result["gemeente"] == "Houten"  # the words that raised the check answer the question
    assert teksten(zeg) == [tekst("antwoorden.veiligheid_geen_gevaar")]


def test_veiligheid_keuze_stoppen():
    zeg = CollectingDispatcher()
    result = valideer("veiligheid_keuze", tracker_uit("veiligheid_keuze", "nee", "deny"), zeg)
    assert result == {"veiligheid_keuze": "stoppen", "gestopt": True}
    assert teksten(zeg) == [tekst("antwoorden.gestopt", contact=contact_zin("Houten"))]


# -- required slots and the whole action ------------------------------------------------------------


def required(naam: str, **slots: Any) -> List[str]:
    tracker = tracker_uit(naam, **slots)
    form = ValidateIntakeForm()
    return asyncio.run(form.required_slots(FORM_SLOTS, CollectingDispatcher(), tracker, domein()))


def test_required_slots_volgorde():
    assert required("toestemming")[:4] == ["toestemming", "gemeente", "leeftijd", "hulpvraag"]
    assert required("bevestig_onderbreking")[0] == "bevestig_onderbreking"
    assert required("veiligheid_check")[0] == "veiligheid_check"
    assert required("veiligheid_keuze")[0] == "veiligheid_keuze"
    assert "prioriteit" in required("prioriteit")
    een = required("doel")
    assert "doel" in een and "prioriteit" not in een and "type_ondersteuning" not in een
    assert required("correctie_onderwerp")[-2:] == ["correctie_onderwerp", "bevestiging"]
    assert required("hulpvraag", leeftijd=12)[-1] == "leeftijd"  # too young: the intake ends there
    assert required("hulpvraag", gestopt=True) == []


@pytest.mark.parametrize("vraag", VRAGEN, ids=lambda v: v.slot)
def test_required_slots_in_tabelvolgorde(vraag: Vraag):
    slots = required(vraag.slot)
    assert slots == sorted(slots, key=FORM_SLOTS.index)
    assert slots == volgende_vragen(tracker_uit(vraag.slot).current_slot_values(), policy().leeftijd.minimum)


def test_domein_formulier_is_de_tabel():
    assert domein()["forms"]["intake_form"]["required_slots"] == FORM_SLOTS
    assert all(PER_SLOT[s] for s in FORM_SLOTS)


def test_run_geeft_events():
    zeg = CollectingDispatcher()
    events = asyncio.run(ValidateIntakeForm().run(zeg, tracker_uit("leeftijd"), domein()))
    gezet = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert gezet["leeftijd"] == 45
    assert gezet["requested_slot"] == "hulpvraag"
    assert events[-1] == {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "hulpvraag"}


def test_run_bij_gevaar_vraagt_verder_of_stoppen():
    zeg = CollectingDispatcher()
    events = asyncio.run(ValidateIntakeForm().run(zeg, tracker_uit("hulpvraag", GEVAAR), domein()))
    gezet = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert gezet["hulpvraag"] == GEVAAR
    assert gezet["requested_slot"] == "veiligheid_keuze"


def test_run_met_kenmerk_entiteit():
    entities = [{"entity": "kenmerk", "value": "dementie", "start": 0, "end": 8}]
    tracker = tracker_uit("hulpvraag", "dementie maakt alles lastig", entities=entities)
    events = asyncio.run(ValidateIntakeForm().run(CollectingDispatcher(), tracker, domein()))
    kenmerken = [e["value"] for e in events if e.get("event") == "slot" and e["name"] == "kenmerken"]
    assert kenmerken == [[{"code": "dementie", "tekst": "dementie maakt alles lastig"}]]
