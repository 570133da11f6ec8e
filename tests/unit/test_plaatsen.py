"""The region's gazetteer and reading places safely (actions/nlp/plaatsen.py)."""

from pathlib import Path

import pytest

from actions.classificatie import PolicyError, load_policy
from actions.nlp.plaatsen import Plaats, lees_plaats
from tests.helpers.policybestand import kapot_bestand

POLICY = load_policy()
PROEFLAND = Path(__file__).resolve().parent.parent / "data" / "proefland.yml"

# -- (a) every place of the gazetteer with its gemeente ----------------------------------------------
# Written out by hand: a place moved to the wrong gemeente in the policy file fails here.
GAZETTEER = {
    # Houten
    "Houten": "Houten",
    "Schalkwijk": "Houten",
    "'t Goy": "Houten",
    "Goy": "Houten",
    "Tull en 't Waal": "Houten",
    "Tull": "Houten",
    "'t Waal": "Houten",
    "Honswijk": "Houten",
    "Oud-Wulven": "Houten",
    "Wulven": "Houten",
    "Schonauwen": "Houten",
    # IJsselstein
    "IJsselstein": "IJsselstein",
    "Achtersloot": "IJsselstein",
    "IJsselveld": "IJsselstein",
    "Zenderpark": "IJsselstein",
    "Achterveld-Groenvliet": "IJsselstein",
    "Groenvliet": "IJsselstein",
    # Lopik
    "Lopik": "Lopik",
    "Benschop": "Lopik",
    "Polsbroek": "Lopik",
    "Jaarsveld": "Lopik",
    "Cabauw": "Lopik",
    "Lopikerkapel": "Lopik",
    "Uitweg": "Lopik",
    "Willige Langerak": "Lopik",
    "Polsbroekerdam": "Lopik",
    "Zevender": "Lopik",
    # Nieuwegein
    "Nieuwegein": "Nieuwegein",
    "Vreeswijk": "Nieuwegein",
    "Jutphaas": "Nieuwegein",
    "Batau": "Nieuwegein",
    "Batau-Noord": "Nieuwegein",
    "Batau-Zuid": "Nieuwegein",
    "Blokhoeve": "Nieuwegein",
    "Doorslag": "Nieuwegein",
    "Fokkesteeg": "Nieuwegein",
    "Galecop": "Nieuwegein",
    "Hoog Zandveld": "Nieuwegein",
    "Huis de Geer": "Nieuwegein",
    "Jutphaas-Wijkersloot": "Nieuwegein",
    "Wijkersloot": "Nieuwegein",
    "Lekboulevard": "Nieuwegein",
    "Merwestein": "Nieuwegein",
    "Rijnhuizen": "Nieuwegein",
    "Zuilenstein": "Nieuwegein",
    # Vijfheerenlanden
    "Vijfheerenlanden": "Vijfheerenlanden",
    "Vianen": "Vijfheerenlanden",
    "Everdingen": "Vijfheerenlanden",
    "Hagestein": "Vijfheerenlanden",
    "Zijderveld": "Vijfheerenlanden",
    "Bolgerijen": "Vijfheerenlanden",
    "Leerdam": "Vijfheerenlanden",
    "Kedichem": "Vijfheerenlanden",
    "Oosterwijk": "Vijfheerenlanden",
    "Schoonrewoerd": "Vijfheerenlanden",
    "Hoogeind": "Vijfheerenlanden",
    "Kortgerecht": "Vijfheerenlanden",
    "Loosdorp": "Vijfheerenlanden",
    "Overboeicop": "Vijfheerenlanden",
    "Overheicop": "Vijfheerenlanden",
    "Ameide": "Vijfheerenlanden",
    "Hei- en Boeicop": "Vijfheerenlanden",
    "Boeicop": "Vijfheerenlanden",
    "Heicop": "Vijfheerenlanden",
    "Leerbroek": "Vijfheerenlanden",
    "Lexmond": "Vijfheerenlanden",
    "Meerkerk": "Vijfheerenlanden",
    "Nieuwland": "Vijfheerenlanden",
    "Tienhoven aan de Lek": "Vijfheerenlanden",
    "Tienhoven": "Vijfheerenlanden",
    "Achthoven": "Vijfheerenlanden",
    "Hogewaard": "Vijfheerenlanden",
    "Kortenhoeven": "Vijfheerenlanden",
    "Lakerveld": "Vijfheerenlanden",
    "Middelkoop": "Vijfheerenlanden",
    "Sluis": "Vijfheerenlanden",
    "Weverwijk": "Vijfheerenlanden",
}
# Region names that also exist elsewhere: read, but to be confirmed with the inwoner.
DUBBEL = {"Vianen", "Schalkwijk", "Tienhoven", "Sluis", "Hoogeind", "Nieuwland"}
IN_POLICY = list(dict.fromkeys((p, g) for g, d in POLICY.gemeenten.items() for p in (g, *d.plaatsen)))


def gemeente_van(tekst, policy):
    """The region gemeente a text names, by the gazetteer reader (None outside or unclear)."""
    plaats = lees_plaats(tekst, policy)
    return plaats.gemeente if plaats is not None and not plaats.buiten else None


def test_the_policy_gazetteer_is_exactly_the_table():
    assert dict(IN_POLICY) == GAZETTEER
    assert len(IN_POLICY) == len(GAZETTEER)  # no name at two gemeenten
    assert set(POLICY.dubbele_namen) == DUBBEL


@pytest.mark.parametrize("plaats,gemeente", sorted(GAZETTEER.items()))
def test_every_place_of_the_table_is_read_with_its_gemeente(plaats, gemeente):
    verwacht = Plaats(gemeente=gemeente, plaats=plaats, buiten=None, dubbel=plaats in DUBBEL)
    assert lees_plaats(plaats, POLICY) == verwacht
    assert lees_plaats(plaats.lower(), POLICY) == verwacht
    assert lees_plaats(f"Ik woon sinds vorig jaar in {plaats}.", POLICY) == verwacht


@pytest.mark.parametrize("plaats,gemeente", IN_POLICY)
def test_every_place_of_the_policy_file_is_in_the_table_and_read(plaats, gemeente):
    assert GAZETTEER.get(plaats) == gemeente, f"{plaats} staat in de policy bij {gemeente}"
    gevonden = lees_plaats(f"wij wonen in {plaats}", POLICY)
    assert gevonden and gevonden.gemeente == gemeente and gevonden.buiten is None


def test_every_place_outside_the_region_is_read_as_outside():
    fout = []
    for gemeente, plaatsen in POLICY.plaatsen_buiten_regio.items():
        for plaats in (gemeente, *plaatsen):
            if plaats in POLICY.dubbele_namen:
                continue  # "Sluis": also a buurtschap of Vijfheerenlanden
            for tekst in (plaats, f"Ik woon in {plaats}."):
                gevonden = lees_plaats(tekst, POLICY)
                if gevonden != Plaats(gemeente=None, plaats=plaats, buiten=gemeente, dubbel=False):
                    fout.append((tekst, gevonden))
    assert fout == []


def test_the_other_gemeenten_of_the_country_are_listed():
    buiten = POLICY.plaatsen_buiten_regio
    assert len(buiten) + len(POLICY.gemeenten) >= 340  # 342 gemeenten in 2025
    for g in ["Molenlanden", "Leusden", "Utrecht", "Montfoort", "Oudewater", "Culemborg", "Gorinchem", "Zaltbommel"]:
        assert g in buiten
    for g in ["Wijk bij Duurstede", "Bunnik", "Krimpenerwaard", "Stichtse Vecht", "West Betuwe", "Buren", "Oisterwijk"]:
        assert g in buiten


# -- (b) ordinary words are never places -------------------------------------------------------------

NOOIT_EEN_PLAATS = [
    "ik moet het huis schoon houden",
    "houden",
    "leren",
    "lopen",
    "gooien",
    "gooi",
    "hout",
    "ik woon hier al lang",
    "een houten kast",
    "we hebben houten vloeren",
    "ik zie geen uitweg meer",
    "er is voor mij geen uitweg",
    "dat gaf de doorslag",
    "het is best lastig",
    "ik doe mijn best",
    "ik doe echt mijn uiterste best",
    "mijn buren helpen mij",
    "de buren zijn aardig",
    "ik woon vlak bij de sluis",
    "hij heeft een nieuwe broek",
    "we lopen naar de beek",
    "de vuren branden nog",
    "de hoorn van de telefoon",
    "de duiven zitten op het dak",
    "ik moet water putten",
    "de huizen zijn hier duur",
    "dat kan leiden tot schulden",
    "we fietsen langs de Waal",
    "ik wil leren koken",
    "ik kan niet goed lopen",
    "wat houden jullie van mij bij",
    "hou op",
    "ik heb het gehouden",
    "mijn man",
    "mijn vrouw is ziek",
    "ik heb schulden",
    "ik voel me eenzaam",
    "het huishouden lukt niet meer",
    "ik kan mijn post niet openen",
    "soms raak ik de draad kwijt",
    "ik slaap slecht",
    "ik vergeet afspraken",
    "mijn moeder woont bij ons",
    "ik heb een hond",
    "ik woon op een flat",
    "ik woon in een rijtjeshuis",
    "in de buurt",
    "in mijn dorp",
    "in het centrum van de stad",
    "weet ik niet",
    "geen idee",
    "ja",
    "nee",
    "misschien",
    "dank je wel",
    "goedemorgen",
    "ik wil stoppen",
    "mijn buurman Stijn helpt soms",
    "Sanne komt elke week",
    "ik kom uit een groot gezin",
    "het is lang geleden",
    "ik ga naar de huisarts",
    "ik zit diep in de schulden",
    "de kinderen spelen buiten",
    "twaalf uur",
    "ik vind het ennen hoor",
    "ik heb dat egen gedaan",
    "het was vreselik",
    "ik woon in de provincie Utrecht",
]


def test_at_least_sixty_ordinary_words_and_sentences():
    assert len(NOOIT_EEN_PLAATS) >= 60


@pytest.mark.parametrize("tekst", NOOIT_EEN_PLAATS)
def test_ordinary_words_are_never_read_as_a_place(tekst):
    assert lees_plaats(tekst, POLICY) is None
    assert gemeente_van(tekst, POLICY) is None


# -- (c) outside the region, and names that exist twice ------------------------------------------------


def _buiten(plaats, gemeente):
    return Plaats(gemeente=None, plaats=plaats, buiten=gemeente, dubbel=False)


def _regio(plaats, gemeente, dubbel=False):
    return Plaats(gemeente=gemeente, plaats=plaats, buiten=None, dubbel=dubbel)


@pytest.mark.parametrize(
    "tekst,verwacht",
    [
        # the issue: Molenlanden villages, Arkel next to Leerdam, Achterveld in Leusden
        ("Noordeloos", _buiten("Noordeloos", "Molenlanden")),
        ("Goudriaan", _buiten("Goudriaan", "Molenlanden")),
        ("Ottoland", _buiten("Ottoland", "Molenlanden")),
        ("Oud-Alblas", _buiten("Oud-Alblas", "Molenlanden")),
        ("ik woon in groot ammers", _buiten("Groot-Ammers", "Molenlanden")),
        ("Langerak", _buiten("Langerak", "Molenlanden")),
        ("Nieuwpoort", _buiten("Nieuwpoort", "Molenlanden")),
        ("Schelluinen", _buiten("Schelluinen", "Molenlanden")),
        ("Ik woon in Arkel, vlak bij Leerdam", _buiten("Arkel", "Molenlanden")),
        ("Achterveld", _buiten("Achterveld", "Leusden")),
        ("Oisterwijk", _buiten("Oisterwijk", "Oisterwijk")),
        ("ik woon in Oisterwijk", _buiten("Oisterwijk", "Oisterwijk")),
        ("Ik woon in Utrecht, Overvecht.", _buiten("Utrecht", "Utrecht")),
        ("Amsterdam", _buiten("Amsterdam", "Amsterdam")),
        ("Den Bosch", _buiten("Den Bosch", "'s-Hertogenbosch")),
        ("Ik woon in Best", _buiten("Best", "Best")),
        ("Maarssen", _buiten("Maarssen", "Stichtse Vecht")),
        # the longest name wins
        ("Willige Langerak", _regio("Willige Langerak", "Lopik")),
        ("Tienhoven aan de Lek", _regio("Tienhoven aan de Lek", "Vijfheerenlanden")),
        ("Oosterwijk", _regio("Oosterwijk", "Vijfheerenlanden")),
        # a name that exists twice: confirm ...
        ("Vianen", _regio("Vianen", "Vijfheerenlanden", dubbel=True)),
        ("ik woon in vianen", _regio("Vianen", "Vijfheerenlanden", dubbel=True)),
        ("Schalkwijk", _regio("Schalkwijk", "Houten", dubbel=True)),
        ("Tienhoven", _regio("Tienhoven", "Vijfheerenlanden", dubbel=True)),
        ("Sluis", _regio("Sluis", "Vijfheerenlanden", dubbel=True)),
        # ... unless the words next to it say which one
        ("Tienhoven bij Maarssen", _buiten("Tienhoven", "Stichtse Vecht")),
        ("Vianen in Noord-Brabant", _buiten("Vianen", "Land van Cuijk")),
        ("Ik woon in Vianen (Noord-Brabant)", _buiten("Vianen", "Land van Cuijk")),
        ("Vianen, gemeente Land van Cuijk", _buiten("Vianen", "Land van Cuijk")),
        ("Schalkwijk in Haarlem", _buiten("Schalkwijk", "Haarlem")),
        ("Sluis in Zeeland", _buiten("Sluis", "Sluis")),
        ("Vianen bij Utrecht", _regio("Vianen", "Vijfheerenlanden")),
        ("Schalkwijk, gemeente Houten", _regio("Schalkwijk", "Houten")),
        ("Achterveld in IJsselstein", _regio("IJsselstein", "IJsselstein")),
        # several places: where the inwoner lives, else the first
        ("Mijn dochter woont in Utrecht, ik woon in Houten", _regio("Houten", "Houten")),
        ("Ik woon in Houten, mijn zoon woont in Utrecht", _regio("Houten", "Houten")),
        ("Houten bij Utrecht", _regio("Houten", "Houten")),
        ("Houten", _regio("Houten", "Houten")),
        ("ik woon in uitweg", _regio("Uitweg", "Lopik")),
    ],
)
def test_outside_and_homonyms(tekst, verwacht):
    assert lees_plaats(tekst, POLICY) == verwacht


# -- (d) typos -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tekst,gemeente,plaats",
    [
        ("Nieuwegijn", "Nieuwegein", "Nieuwegein"),
        ("ik woon in nieuwegijn", "Nieuwegein", "Nieuwegein"),
        ("Ijselstijn", "IJsselstein", "IJsselstein"),
        ("Ijselstein", "IJsselstein", "IJsselstein"),
        ("ysselstein", "IJsselstein", "IJsselstein"),
        ("Leerdm", "Vijfheerenlanden", "Leerdam"),
        ("Lopikkerkapel", "Lopik", "Lopikerkapel"),
        ("Cabouw", "Lopik", "Cabauw"),
        ("hei en boeikop", "Vijfheerenlanden", "Hei- en Boeicop"),
        ("Schoonrewoert", "Vijfheerenlanden", "Schoonrewoerd"),
        ("Vreeswyk", "Nieuwegein", "Vreeswijk"),
        ("Zijdervelt", "Vijfheerenlanden", "Zijderveld"),
        ("ik woon in houtn", "Houten", "Houten"),
        ("Polsbroekkerdam", "Lopik", "Polsbroekerdam"),
    ],
)
def test_small_typos_in_names_are_forgiven(tekst, gemeente, plaats):
    gevonden = lees_plaats(tekst, POLICY)
    assert gevonden and (gevonden.gemeente, gevonden.plaats, gevonden.buiten) == (gemeente, plaats, None)


@pytest.mark.parametrize(
    "tekst,buiten",
    [("Amsterdm", "Amsterdam"), ("Oisterwyk", "Oisterwijk"), ("Noordeloss", "Molenlanden"), ("Gorinchen", "Gorinchem")],
)
def test_typos_outside_the_region_stay_outside(tekst, buiten):
    gevonden = lees_plaats(tekst, POLICY)
    assert gevonden and gevonden.gemeente is None and gevonden.buiten == buiten


def test_a_typo_needs_a_name_of_five_letters_and_a_non_word():
    assert lees_plaats("Tul", POLICY) is None  # Tull: too short to guess
    assert lees_plaats("lopn", POLICY) is None
    assert lees_plaats("houden", POLICY) is None  # a Dutch word, one letter from Houten


# -- the policy: the existing look-up and validation of the new sections ---------------------------------


@pytest.mark.parametrize(
    "tekst,gemeente",
    [
        ("Vianen", "Vijfheerenlanden"),
        ("nieuwegijn", "Nieuwegein"),
        ("houden", None),
        ("Oisterwijk", None),
        ("Noordeloos", None),
        ("Achterveld", None),
        ("Arkel", None),
        ("Lakerveld", "Vijfheerenlanden"),
        ("Achtersloot", "IJsselstein"),
    ],
)
def test_gemeente_van_plaats_uses_the_same_rules(tekst, gemeente):
    assert gemeente_van(tekst, POLICY) == gemeente


def test_a_policy_without_the_new_sections_still_loads():
    proefland = load_policy(PROEFLAND)
    assert proefland.plaatsen_buiten_regio == {} and proefland.dubbele_namen == {}
    assert gemeente_van("Testdorp", proefland) == "Proefstad"
    assert lees_plaats("ik woon in proefstad", proefland).gemeente == "Proefstad"
    assert lees_plaats("Utrecht", proefland) is None


@pytest.mark.parametrize(
    "mutate,fragment",
    [
        (
            lambda d: d["gemeenten"]["Vijfheerenlanden"]["plaatsen"].append("Noordeloos"),
            "plaatsen_buiten_regio.Molenlanden: 'Noordeloos' is ook een plaats in gemeente Vijfheerenlanden",
        ),
        (
            lambda d: d["gemeenten"]["IJsselstein"]["plaatsen"].append("Benschop"),
            "gemeenten.Lopik.plaatsen: 'Benschop' staat ook bij gemeente IJsselstein",
        ),
        (
            lambda d: d["plaatsen_buiten_regio"]["Leusden"].append("Maarssen"),
            "plaatsen_buiten_regio.Stichtse Vecht: 'Maarssen' staat ook bij Leusden",
        ),
        (
            lambda d: d["plaatsen_buiten_regio"].update({"Houten": []}),
            "plaatsen_buiten_regio.Houten: Houten is een gemeente van de regio",
        ),
        (lambda d: d["dubbele_namen"].update({"Utrecht": {"Utrecht": []}}), "dubbele_namen.Utrecht: 'Utrecht' is geen"),
        (
            lambda d: d["dubbele_namen"].update({"Lopik": {"Atlantis": []}}),
            "dubbele_namen.Lopik: onbekende gemeente 'Atlantis'",
        ),
        (lambda d: d["dubbele_namen"].update({"Lopik": {}}), "dubbele_namen.Lopik: noem de andere gemeente(n)"),
        (lambda d: d["plaatsen_buiten_regio"].update({"Oss": "Oss"}), "plaatsen_buiten_regio"),
    ],
)
def test_a_wrong_gazetteer_names_file_key_and_problem(tmp_path, mutate, fragment):
    path = kapot_bestand(tmp_path, mutate)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value)
    assert fragment in str(err.value)


# -- the spaCy entity ruler uses the same gazetteer --------------------------------------------------------


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    import spacy

    from actions.nlp.build import build

    return spacy.load(build(tmp_path_factory.mktemp("nlp") / "nl_lekstroom", use_base_model=False))


def _plaatsen(nlp, tekst):
    from actions.nlp.rasa_components import extract

    return [e["value"] for e in extract(nlp(tekst)) if e["entity"] == "plaats"]


@pytest.mark.parametrize(
    "tekst,gemeenten",
    [
        ("Ik woon in Willige Langerak", ["Lopik"]),
        ("Ik woon in Lakerveld", ["Vijfheerenlanden"]),
        ("Ik woon in de Achtersloot", ["IJsselstein"]),
        ("Ik woon in Groot-Ammers", []),
        ("Ik woon in Noordeloos", []),
        ("Ik woon in Achterveld", []),
        ("ik zie geen uitweg meer", []),
        ("we hebben een houten vloer", []),
        ("Ik woon in Uitweg", ["Lopik"]),
        ("Houten", ["Houten"]),
        ("Ik woon in Vianen", ["Vijfheerenlanden"]),
        ("Ik woon in Vianen in Noord-Brabant", []),
        ("Ik woon in Tienhoven bij Maarssen", []),
        ("Ik woon in Hei- en Boeicop", ["Vijfheerenlanden"]),
        ("Ik woon in Tull en ’t Waal", ["Houten"]),
    ],
)
def test_the_entity_ruler_knows_the_corrected_places(nlp, tekst, gemeenten):
    assert _plaatsen(nlp, tekst) == gemeenten
