"""Conversation behaviour at any turn, end to end over REST: each test is a short conversation.

Covers: correction, why-asked, don't know, stop, start over, person, delete (store and tracker),
fallback (one retry, then a person, never a loop), safety, no consent, outside the region, under 18,
villages and typos, and the custom payload on every question.
"""

import uuid

import pytest

from tests.helpers.inwoner import last_payload

pytestmark = pytest.mark.e2e


class Chat:
    def __init__(self, assistant):
        self.assistant = assistant
        self.sender = f"test-{uuid.uuid4().hex[:8]}"
        self.last = []

    def say(self, text):
        self.last = self.assistant.send(self.sender, text)
        return self

    @property
    def text(self):
        return "\n".join(m.get("text", "") for m in self.last if m.get("text"))

    @property
    def step(self):
        payload = last_payload(self.last)
        return payload and payload["intake_step"]

    @property
    def payload(self):
        return last_payload(self.last)

    def slot(self, name):
        return self.assistant.tracker(self.sender)["slots"].get(name)

    def to_hulpvraag(self, gemeente="Houten", leeftijd="40"):
        self.say("Hallo").say("ja").say(gemeente).say(leeftijd)
        assert self.step == "hulpvraag"
        return self


def test_every_question_carries_the_payload(assistant):
    chat = Chat(assistant).say("Hallo")
    assert chat.payload == {"intake_step": "toestemming", "resultaatgebied": None, "progress": {"step": 1, "of": 16}}
    chat.say("ja")
    assert chat.payload["intake_step"] == "gemeente" and chat.payload["progress"]["step"] == 2


@pytest.mark.parametrize(
    "answer,gemeente",
    [
        ("nieuwegijn", "Nieuwegein"),
        ("Vreeswijk", "Nieuwegein"),
        ("Benschop", "Lopik"),
        ("ik woon in 't Goy", "Houten"),
        ("Achtersloot", "IJsselstein"),
    ],
)
def test_places_villages_and_typos(assistant, answer, gemeente):
    chat = Chat(assistant).say("Hallo").say("ja").say(answer)
    assert chat.step == "leeftijd"
    assert chat.slot("gemeente") == gemeente


@pytest.mark.parametrize(
    "answer,gemeente",
    [
        ("Vianen", "Vijfheerenlanden"),
        ("in Vianen, vlak bij de Lek", "Vijfheerenlanden"),
        ("wij wonen in Schalkwijk", "Houten"),
    ],
)
def test_a_name_that_also_exists_elsewhere_is_confirmed(assistant, answer, gemeente):
    chat = Chat(assistant).say("Hallo").say("ja").say(answer)
    assert f"in de gemeente {gemeente}?" in chat.text and chat.step is None
    chat.say("ja")
    assert chat.step == "leeftijd" and chat.slot("gemeente") == gemeente


def test_a_homonym_outside_the_region_gets_no_draft(assistant, store):
    chat = Chat(assistant).say("Hallo").say("ja").say("Tienhoven, bij Maarssen")
    assert "Tienhoven" in chat.text and chat.step is None  # "you live outside the region, right?"
    chat.say("ja")
    assert "eigen gemeente" in chat.text
    assert store.get_by_conversation(chat.sender) is None


def test_an_ordinary_word_is_never_a_place(assistant):
    chat = Chat(assistant).say("Hallo").say("ja").say("ik moet het huis schoon houden")
    assert chat.slot("gemeente") is None and chat.step == "gemeente"


def test_why_is_this_asked_then_the_same_question_again(assistant):
    chat = Chat(assistant).say("Hallo").say("ja")
    chat.say("waarom wilt u dat weten?")
    assert "sociaal team" in chat.text
    assert chat.step == "gemeente"


def test_dont_know_moves_on_for_optional_topics(assistant):
    chat = Chat(assistant).to_hulpvraag().say("Ik ben eenzaam en ik heb weinig contact met mensen")
    chat.say("contact met andere mensen").say("ja")
    assert chat.step == "doelen"
    chat.say("weet ik niet")
    assert chat.step == "type_ondersteuning"


def test_correction_of_an_earlier_answer(assistant):
    chat = Chat(assistant).to_hulpvraag(gemeente="Houten", leeftijd="40")
    chat.say("ik heb me vergist, ik woon in Lopik")
    assert chat.slot("gemeente") == "Lopik"
    assert chat.step == "hulpvraag"


def test_stop_keeps_nothing(assistant, store):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("Ik wil stoppen.")
    assert "Wilt u stoppen" in chat.text and chat.step is None  # asked first
    chat.say("ja")
    assert "we stoppen" in chat.text and chat.payload is None
    assert store.get_by_conversation(chat.sender) is None
    assert chat.slot("gemeente") is None


def test_start_over(assistant):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("ik wil opnieuw beginnen")
    assert "opnieuw" in chat.text
    assert chat.step == "toestemming"
    assert chat.slot("gemeente") is None


def test_ask_for_a_person_gives_the_sociaal_team_of_the_gemeente(assistant):
    chat = Chat(assistant).to_hulpvraag(gemeente="IJsselstein")
    chat.say("ik wil liever met een echt mens praten")
    assert "www.ijsselstein.nl" in chat.text
    assert chat.step == "hulpvraag"


def test_delete_removes_the_draft_and_the_tracker(assistant, store):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("Ik wil er soms niet meer zijn")  # urgent draft queued
    assert store.get_by_conversation(chat.sender) is not None
    chat.say("verwijder alles wat ik gezegd heb")
    assert "alles wis" in chat.text and chat.step is None  # asked first
    chat.say("ja")
    assert "gewist" in chat.text
    assert any(m.get("custom") == {"gewist": True} for m in chat.last)
    assert store.get_by_conversation(chat.sender) is None
    tracker = assistant.tracker(chat.sender)
    texts = [e.get("text") for e in tracker["events"] if e.get("text")]
    assert texts == []


def test_not_understood_retries_once_then_offers_a_person_and_never_loops(assistant):
    chat = Chat(assistant).say("Hallo").say("ja")
    chat.say("blablabla qwerty")
    first = chat.text
    assert "begreep ik niet" in first and chat.step == "gemeente"
    chat.say("zxcv bnm")
    assert "medewerker" in chat.text
    assert chat.step == "gemeente"
    assert {b["title"] for m in chat.last for b in m.get("buttons", [])} >= {"Houten", "Lopik"}
    chat.say("asdf")
    assert chat.step == "leeftijd"  # after the retries it goes on; the consultant sees 'onbekend'


def test_safety_interrupts_with_help_lines_and_queues_an_urgent_draft(assistant, store):
    chat = Chat(assistant).to_hulpvraag(gemeente="Nieuwegein")
    chat.say("Mijn man slaat me als hij gedronken heeft")
    assert "0800-2000" in chat.text and "112" in chat.text
    assert chat.payload["intake_step"] is None  # go on or stop?
    draft = store.get_by_conversation(chat.sender)
    assert draft.urgent and "veiligheid" in draft.signaal_codes()
    chat.say("verder gaan")
    assert chat.step == "resultaatgebieden"
    assert chat.slot("veiligheid_keuze") == "verder"  # validated, not just the typed text


def test_safety_before_consent_gives_help_lines_but_stores_nothing(assistant, store):
    chat = Chat(assistant).say("Hallo").say("ik denk aan zelfmoord")
    assert "0800-0113" in chat.text
    assert store.get_by_conversation(chat.sender) is None


def test_no_consent_explains_and_stores_nothing(assistant, store):
    chat = Chat(assistant).say("Hallo").say("nee, liever niet")
    assert "bewaar ik niets" in chat.text
    assert chat.payload is None
    assert store.get_by_conversation(chat.sender) is None


def test_outside_the_region_is_referred(assistant, store):
    chat = Chat(assistant).say("Hallo").say("ja").say("Ik woon in Gouda")
    assert "Gouda" in chat.text and chat.step is None
    chat.say("ja")
    assert "eigen gemeente" in chat.text
    assert store.get_by_conversation(chat.sender) is None


def test_outside_region_denied_asks_again_with_choices(assistant):
    chat = Chat(assistant).say("Hallo").say("ja").say("Ik woon in Gouda")
    chat.say("nee")
    assert chat.step == "gemeente"
    assert "Vijfheerenlanden" in {b["title"] for m in chat.last for b in m.get("buttons", [])}


def test_under_18_is_referred_to_youth_care(assistant, store):
    chat = Chat(assistant).say("Hallo").say("ja").say("Houten").say("ik ben 16")
    assert "jeugdhulp" in chat.text
    assert store.get_by_conversation(chat.sender) is None


def test_areas_are_said_back_and_can_be_corrected(assistant):
    chat = Chat(assistant).to_hulpvraag().say("Ik kom mijn bed niet uit en mijn post stapelt zich op")
    chat.say("mijn post en geld")
    assert "post en geld" in chat.text and chat.step is None
    chat.say("nee")
    assert chat.step == "resultaatgebieden"
    chat.say("post en geld, en ik ben heel eenzaam")
    assert "contact met andere mensen" in chat.text
    chat.say("ja")
    assert chat.payload["resultaatgebied"] == "administratie_financien"


def test_the_same_text_twice_after_an_interruption_is_taken_as_the_answer(assistant):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("waarom wilt u dat weten?")
    assert chat.step == "hulpvraag" and "eigen woorden" in chat.text
    chat.say("waarom wilt u dat weten?")  # said again: it is the answer, not a loop
    assert chat.step == "resultaatgebieden"
    assert chat.slot("hulpvraag") == "waarom wilt u dat weten?"


def test_an_answer_that_looks_like_stop_is_read_as_the_answer(assistant, store):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("Ik drink te veel en wil daar vanaf").say("mijn gezondheid").say("ja")
    assert chat.step == "doelen"
    chat.say("Ik wil stoppen met drinken")  # the goal asked for, not a request to stop
    assert chat.step == "type_ondersteuning"
    assert chat.slot("gebieden")[0]["doel"] == "Ik wil stoppen met drinken"
    chat.say("Ik wil echt veranderen")  # an answer to the type question, not a correction
    assert chat.step == "eigen_kracht"
    assert chat.slot("gebieden")[0]["type"] == "ontwikkelen"


def test_stopping_the_conversation_is_confirmed_first(assistant, store):
    chat = Chat(assistant).to_hulpvraag()
    chat.say("ik wil stoppen met dit gesprek")
    assert "Wilt u stoppen" in chat.text and chat.step is None
    chat.say("nee")
    assert "gaan we verder" in chat.text and chat.step == "hulpvraag"
    chat.say("ik wil toch stoppen")
    assert "Wilt u stoppen" in chat.text
    chat.say("ja")
    assert "we stoppen" in chat.text and chat.payload is None


def test_the_same_stop_text_after_no_is_the_answer(assistant):
    """After "nee, ga verder", the very same text again is the answer: never a loop."""
    chat = Chat(assistant).to_hulpvraag()
    chat.say("ik wil stoppen met dit gesprek").say("nee").say("ik wil stoppen met dit gesprek")
    assert chat.step == "resultaatgebieden"
    assert chat.slot("hulpvraag") == "ik wil stoppen met dit gesprek"


def test_after_danger_no_means_stop(assistant, store):
    chat = Chat(assistant).to_hulpvraag(gemeente="Lopik")
    chat.say("Ik wil niet meer leven")
    assert "0800-0113" in chat.text
    chat.say("nee")
    assert "we stoppen" in chat.text and chat.payload is None
    assert store.get_by_conversation(chat.sender).urgent
