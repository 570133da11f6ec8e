"""Never a loop: at every question, the same text sent three times in a row never gets the same
reply three times; the conversation always moves on. Played over REST against real servers."""

import uuid

import pytest

from tests.helpers.inwoner import answer_for, last_payload

pytestmark = pytest.mark.e2e

# A plain intake with two areas, so every question (priority included) is reached.
GEWOON = {
    "answers": {
        "toestemming": "ja",
        "gemeente": "Nieuwegein",
        "leeftijd": "45",
        "hulpvraag": "Ik zie bijna niemand en mijn post stapelt zich op.",
        "resultaatgebieden": "contact met mensen en mijn post",
        "doelen": {"sociaal_functioneren": "Meer mensen zien.", "administratie_financien": "Overzicht."},
        "type_ondersteuning": {"sociaal_functioneren": "Dat kan ik leren.", "administratie_financien": "Leren."},
        "prioriteit": "de post",
        "eigen_kracht": "Ik probeer het.",
        "netwerk": "Mijn zus.",
        "voorliggend_veld": "Nee.",
        "verzwarende_omstandigheden": "Nee.",
        "duur": "Een jaar.",
        "contact": "Bellen.",
    }
}
STAPPEN = [
    "toestemming",
    "gemeente",
    "leeftijd",
    "hulpvraag",
    "resultaatgebieden",
    "doelen",
    "type_ondersteuning",
    "prioriteit",
    "eigen_kracht",
    "netwerk",
    "voorliggend_veld",
    "verzwarende_omstandigheden",
    "duur",
    "frequentie",
    "planbaar",
    "contact",
    "bevestiging",
]
ZINNEN = ["hmm", "ik wil echt veranderen", "Ik ben bang dat het niet meer terugkomt."]


def naar_stap(assistant, sender, stap):
    reply = assistant.send(sender, "Hallo")
    for _ in range(40):
        payload = last_payload(reply)
        assert payload is not None, "de assistent vroeg niets meer"
        if payload["intake_step"] == stap:
            return reply
        text = answer_for(GEWOON, payload) or "ja"
        reply = assistant.send(sender, text)
    raise AssertionError(f"stap {stap} niet bereikt")


def tekst(reply):
    return "\n".join(m.get("text", "") for m in reply if m.get("text"))


@pytest.mark.parametrize("stap", STAPPEN)
@pytest.mark.parametrize("zin", ZINNEN)
def test_the_same_text_three_times_moves_on(assistant, stap, zin):
    sender = f"vast-{stap}-{uuid.uuid4().hex[:6]}"
    naar_stap(assistant, sender, stap)
    replies = [tekst(assistant.send(sender, zin)) for _ in range(3)]
    assert all(replies), f"geen antwoord bij {stap}: {replies}"
    assert len(set(replies)) > 1, f"drie keer hetzelfde antwoord bij {stap}: {replies[0]!r}"
