"""The order of the intake questions as a pure function of what is known."""

from pathlib import Path

import yaml

from actions.intake.domein import als_tekst
from actions.intake.vraagtabel import (
    FORM_SLOTS as ALL_FORM_SLOTS,
)
from actions.intake.vraagtabel import (
    ONBEKEND,
    volgende_vragen,
    voortgang,
)

ROOT = Path(__file__).resolve().parents[2]


def filled(**slots):
    base = {"toestemming": True, "gemeente": "Houten", "leeftijd": 40, "hulpvraag": "x"}
    base.update(slots)
    return base


def first_missing(slots):
    return next((s for s in volgende_vragen(slots) if slots.get(s) is None), None)


def test_natural_order():
    assert first_missing({}) == "toestemming"
    assert first_missing({"toestemming": True}) == "gemeente"
    assert first_missing(filled(hulpvraag=None)) == "hulpvraag"
    assert first_missing(filled()) == "resultaatgebieden"


def test_per_area_goal_then_type_then_priority():
    gebieden = [{"code": "a"}, {"code": "b"}]
    slots = filled(resultaatgebieden=["a", "b"], gebieden=gebieden, gebieden_bevestigd=True)
    assert first_missing(slots) == "doel"
    gebieden[0]["doel"] = "d"
    assert first_missing(slots) == "type_ondersteuning"
    gebieden[0]["type_toelichting"] = ONBEKEND
    assert first_missing(slots) == "doel"
    gebieden[1].update(doel="d", type_toelichting="t")
    assert first_missing(slots) == "prioriteit"


def test_one_area_has_no_priority_question():
    slots = filled(
        resultaatgebieden=["a"], gebieden=[{"code": "a", "doel": "d", "type_toelichting": "t"}], gebieden_bevestigd=True
    )
    assert first_missing(slots) == "eigen_kracht"
    assert voortgang(slots, "eigen_kracht") == {"step": 8, "of": 16}


def test_early_stops():
    assert volgende_vragen({"toestemming": False}) == ["toestemming"]
    assert first_missing({"toestemming": True, "woonplaats_buiten": "Gouda"}) == "buiten_regio_bevestigd"
    assert (
        first_missing(
            {"toestemming": True, "woonplaats_buiten": "Gouda", "buiten_regio": True, "buiten_regio_bevestigd": True}
        )
        is None
    )
    assert first_missing({"toestemming": True, "gemeente": "Houten", "leeftijd": 16}) is None
    young_adult = {"toestemming": True, "gemeente": "Proefstad", "leeftijd": 19}
    assert volgende_vragen(young_adult, minimum_leeftijd=21) == ["toestemming", "gemeente", "leeftijd"]
    assert volgende_vragen({"gestopt": True}) == []


def test_a_stop_or_delete_is_confirmed_before_anything_else():
    assert first_missing(filled(te_bevestigen={"actie": "stoppen"})) == "bevestig_onderbreking"
    # still required (so validated) after the inwoner typed something, until validation clears it
    assert "bevestig_onderbreking" in volgende_vragen(
        filled(te_bevestigen={"actie": "stoppen"}, bevestig_onderbreking="ja")
    )
    assert first_missing(filled(bevestig_onderbreking="ja", gestopt=True)) is None


def test_safety_choice_comes_first_and_correction_before_confirmation():
    assert first_missing(filled(veiligheid="gevaar")) == "veiligheid_keuze"
    assert "veiligheid_keuze" in volgende_vragen(filled(veiligheid="gevaar", veiligheid_keuze="ga maar door"))
    assert "veiligheid_keuze" not in volgende_vragen(filled(veiligheid="gevaar", veiligheid_keuze="verder"))
    slots = filled(
        resultaatgebieden=[],
        gebieden=[],
        gebieden_bevestigd=True,
        eigen_kracht="x",
        netwerk="x",
        voorliggend_veld="x",
        verzwarende_omstandigheden="x",
        duur="x",
        frequentie="x",
        planbaar="x",
        contact="x",
        bevestiging=False,
    )
    assert first_missing(slots) == "correctie_onderwerp"


def test_the_rasa_domain_is_generated_from_the_question_table():
    """bot/domain/intake.yml is exactly what `lekstroom domein` writes from the table."""
    assert (ROOT / "bot/domain/intake.yml").read_text(encoding="utf-8") == als_tekst()
    domain = yaml.safe_load(als_tekst())
    assert domain["forms"]["intake_form"]["required_slots"] == ALL_FORM_SLOTS
    for slot in ALL_FORM_SLOTS:
        mapping = domain["slots"][slot]["mappings"][0]
        # every message goes to the form, which decides what it means
        assert mapping == {"type": "from_text", "conditions": [{"active_loop": "intake_form", "requested_slot": slot}]}
        assert f"action_ask_{slot}" in domain["actions"]


def test_a_new_question_is_one_table_entry(monkeypatch):
    """A throwaway question added to the table alone is asked in its place, with its payload step."""
    from actions.intake import vraagtabel
    from actions.intake.domein import domein

    extra = vraagtabel.Vraag("huisdieren", "huisdieren", "eigen_kracht", vrije_tekst=True)
    vragen = list(vraagtabel.VRAGEN)
    vragen.insert(vragen.index(vraagtabel.PER_SLOT["duur"]), extra)
    monkeypatch.setattr(vraagtabel, "VRAGEN", tuple(vragen))
    slots = filled(
        resultaatgebieden=["a"],
        gebieden=[{"code": "a", "doel": "d", "type_toelichting": "t"}],
        gebieden_bevestigd=True,
        eigen_kracht="x",
        netwerk="x",
        voorliggend_veld="x",
        verzwarende_omstandigheden="x",
    )
    assert first_missing(slots) == "huisdieren"
    generated = domein()
    assert "huisdieren" in generated["slots"] and "action_ask_huisdieren" in generated["actions"]
    assert generated["forms"]["intake_form"]["required_slots"].index("huisdieren") < (
        generated["forms"]["intake_form"]["required_slots"].index("duur")
    )


def test_the_web_chat_names_every_step_of_the_progress_indicator():
    """chat.js shows "Stap n van m: <name>"; a step it has no name for would show nothing."""
    import re
    from pathlib import Path

    from actions.intake import vraagtabel

    chat_js = (Path(__file__).resolve().parents[2] / "bot" / "web" / "static" / "chat.js").read_text(encoding="utf-8")
    blok = re.search(r"var STAPPEN = \{(.*?)\};", chat_js, re.S)
    assert blok is not None
    genoemd = set(re.findall(r"(\w+):", blok.group(1)))
    assert set(vraagtabel.STAPPEN) <= genoemd, set(vraagtabel.STAPPEN) - genoemd
