"""One deployment, several regions: LEKSTROOM_POLICY names the policy files, the inwoner's place
gives the gemeente and so the file that decides the draft; the review app scopes consultants by
gemeente and shows each region's own picture; the API describes the region's result."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from actions.classificatie import Intake, PolicyError, classify, load_policy
from actions.classificatie.inzet import beleid_paden, load_inzet
from actions.classificatie.model import Arrangement, CriteriaProduct, GebiedAntwoord
from actions.classificatie.policy import DEFAULT_POLICY, POLICY_DIR
from actions.intake import context
from actions.intake.bericht import Bericht
from actions.intake.lezers import lees_gemeente
from actions.nlp.plaatsen import lees_plaats
from actions.review import FeitenWijziging
from actions.web.app import create_app
from actions.web.config import ACCOUNTS, INZET, REVIEW, STORE, Config

from .test_review_web import PW, login

DRIE = "lekstroom,leidse-regio,centraal-gelderland"


def test_the_default_deployment_serves_lekstroom_only_and_leiden_stays_outside():
    inzet = load_inzet()
    assert [p.bestand for p in inzet.beleid] == ["lekstroom"]
    plaats = lees_plaats("Ik woon in Leiden", inzet.overzicht)
    assert plaats is not None and plaats.gemeente is None and plaats.buiten == "Leiden"


@pytest.mark.parametrize(
    "tekst,gemeente,bestand",
    [
        ("Ik woon in Leiden", "Leiden", "leidse-regio"),
        ("zoeterwoude rijndijk", "Zoeterwoude", "leidse-regio"),
        ("in Oegstgeest", "Oegstgeest", "leidse-regio"),
        ("Arnhem", "Arnhem", "centraal-gelderland"),
        ("ik woon in Bemmel", "Lingewaard", "centraal-gelderland"),
        ("Velp", "Rheden", "centraal-gelderland"),
        ("Ik woon in Houten", "Houten", "lekstroom"),
        ("Schalkwijk", "Houten", "lekstroom"),
    ],
)
def test_the_place_gives_the_gemeente_and_its_policy(tekst, gemeente, bestand):
    inzet = load_inzet(DRIE)
    plaats = lees_plaats(tekst, inzet.overzicht)
    assert plaats is not None and plaats.gemeente == gemeente and plaats.buiten is None
    assert inzet.policy_voor(plaats.gemeente).bestand == bestand


@pytest.mark.parametrize("tekst", ["Ik woon in Katwijk", "Nijmegen", "Utrecht", "in Gouda"])
def test_a_place_of_none_of_the_regions_stays_outside(tekst):
    plaats = lees_plaats(tekst, load_inzet(DRIE).overzicht)
    assert plaats is not None and plaats.gemeente is None and plaats.buiten


def test_names_and_paths_in_the_setting(tmp_path):
    pad = tmp_path / "eigen.yml"
    assert beleid_paden(f" lekstroom ,leidse-regio, {pad}") == [
        POLICY_DIR / "lekstroom.yml",
        POLICY_DIR / "leidse-regio.yml",
        pad,
    ]
    with pytest.raises(PolicyError, match="noem minstens één beleidsbestand"):
        beleid_paden(" , ")


def test_a_gemeente_in_two_files_is_refused_naming_both(tmp_path):
    data = yaml.safe_load((POLICY_DIR / "leidse-regio.yml").read_text(encoding="utf-8"))
    data["gemeenten"]["Houten"] = data["gemeenten"].pop("Leiden")
    data["gemeenten"]["Houten"]["plaatsen"] = ["Houten"]
    pad = tmp_path / "dubbel.yml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        PolicyError,
        match=r"dubbel\.yml: gemeenten\.Houten: staat ook in lekstroom\.yml; een gemeente hoort bij één regio",
    ):
        load_inzet(f"{DEFAULT_POLICY},{pad}")
    data["gemeenten"]["Leiden"] = data["gemeenten"].pop("Houten")
    data["gemeenten"]["Leiden"]["plaatsen"] = ["Leiden", "Schalkwijk"]
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        PolicyError,
        match=r"dubbel\.yml: gemeenten\.Leiden: 'schalkwijk' is ook een plaats van Houten in lekstroom\.yml",
    ):
        load_inzet(f"{DEFAULT_POLICY},{pad}")


def test_the_action_server_reads_the_place_and_classifies_with_the_gemeentes_file(monkeypatch):
    monkeypatch.setenv("LEKSTROOM_POLICY", DRIE)
    uitkomst = lees_gemeente(Bericht("Ik woon in Leiden"), None)
    assert uitkomst is not None and uitkomst["gemeente"] == "Leiden"
    assert context.policy_voor("Leiden").bestand == "leidse-regio"
    assert context.policy_voor("Arnhem").bestand == "centraal-gelderland"
    assert "Leiden" in context.regio_waarden()["gemeenten"] and "Houten" in context.regio_waarden()["gemeenten"]
    monkeypatch.setenv("LEKSTROOM_POLICY", "lekstroom")
    uitkomst = lees_gemeente(Bericht("Ik woon in Leiden"), None)
    assert uitkomst is not None and uitkomst.get("gemeente") is None and uitkomst["woonplaats_buiten"] == "Leiden"


def _intake(cid: str, gemeente: str, **extra) -> Intake:
    return Intake(
        conversation_id=cid,
        toestemming=True,
        gemeente=gemeente,
        leeftijd=50,
        resultaatgebieden=[GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen")],
        afgerond=True,
        **extra,
    )


@pytest.fixture
def drie_regios(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, secure_cookies=False, policy_path=DRIE))
    accounts = app[ACCOUNTS]
    accounts.maak_gebruiker("lies", "consultant", ["Leiden"], PW)
    accounts.maak_gebruiker("arno", "consultant", ["Arnhem"], PW)
    accounts.maak_gebruiker("anna", "consultant", ["Houten"], PW)
    inzet = app[INZET]
    ids = {}
    for cid, gemeente, extra in (
        ("leiden", "Leiden", {"planbaar": False, "frequentie": "dagelijks"}),
        ("arnhem", "Arnhem", {"planbaar": False}),
        ("houten", "Houten", {}),
    ):
        intake = _intake(cid, gemeente, **extra)
        ids[cid] = app[STORE].submit(classify(intake, inzet.policy_voor(gemeente)), intake=intake).id
    loop = asyncio.new_event_loop()
    client = TestClient(TestServer(app), loop=loop)
    loop.run_until_complete(client.start_server())
    yield loop.run_until_complete, client, ids, app
    loop.run_until_complete(client.close())
    loop.close()


def test_a_consultant_of_leiden_sees_leidens_drafts_and_the_treden_table(drie_regios):
    run, client, ids, app = drie_regios
    run(login(client, "lies"))
    html = run(run(client.get("/review")).text())
    assert ids["leiden"] in html and ids["arnhem"] not in html and ids["houten"] not in html
    assert run(client.get(f"/review/concepten/{ids['arnhem']}")).status == 403
    pagina = run(run(client.get(f"/review/concepten/{ids['leiden']}")).text())
    assert "Arrangement: per leefgebied de trede binnen zijn bereik" in pagina
    assert "Sociaal Persoonlijk Functioneren" in pagina and "Geldzaken" in pagina
    # trede 1 (lowest) + 1 not plannable + 1 every day = 3, with the module for day and night
    assert '<td class="utrecht-table__cell gekozen"><strong>trede 3</strong></td>' in pagina
    assert "buiten bereik" in pagina and "24 uren beschikbaarheid" in pagina
    assert "Afwegingskader: de gekozen cel is gemarkeerd" not in pagina
    assert "Leidse regio, versie 2026.1-concept, geldig vanaf 2026-01-01" in pagina


def test_a_consultant_of_arnhem_sees_the_criteria_and_houten_keeps_its_matrix(drie_regios):
    run, client, ids, app = drie_regios
    run(login(client, "arno"))
    pagina = run(run(client.get(f"/review/concepten/{ids['arnhem']}")).text())
    assert (
        "Besluit: <strong>Begeleiding specialistisch</strong>, eerst een oriëntatie-indicatie van 3 maanden" in pagina
    )
    assert "Zorg is niet te plannen" in pagina and "Complexe vraagstukken" in pagina
    assert "Arrangement: per leefgebied" not in pagina
    nieuw = new_client(client)
    run(nieuw.start_server())
    run(login(nieuw, "anna"))
    pagina = run(run(nieuw.get(f"/review/concepten/{ids['houten']}")).text())
    assert "Afwegingskader: de gekozen cel is gemarkeerd" in pagina and "<strong>gekozen</strong>" in pagina
    run(nieuw.close())


def test_a_consultants_edit_is_reclassified_with_the_gemeentes_file(drie_regios):
    run, client, ids, app = drie_regios
    review = app[REVIEW]
    assert review.policy_voor("Leiden").bestand == "leidse-regio"
    gebruiker = app[ACCOUNTS].gebruiker("lies")
    draft = review.concept(gebruiker, ids["leiden"])
    nieuw = review.wijzig(
        gebruiker, ids["leiden"], draft.versie, FeitenWijziging(verzwarende_omstandigheden=["verslaving"]), "gesprek"
    )
    assert isinstance(nieuw.afweging, Arrangement)
    assert nieuw.afweging.leefgebieden[0].trede == 4 and nieuw.policy.bestand == "leidse-regio"


def new_client(client):
    return TestClient(TestServer(client.server.app), loop=client._loop)


def test_the_api_describes_the_regions_result_and_the_sources():
    from actions.web.api import OPENAPI

    schemas = OPENAPI["components"]["schemas"]
    afweging = schemas["Draft"]["properties"]["afweging"]
    assert afweging["discriminator"]["mapping"] == {
        "telling": "#/components/schemas/MatrixCel",
        "treden": "#/components/schemas/Arrangement",
        "criteria": "#/components/schemas/CriteriaProduct",
    }
    for naam in ("MatrixCel", "Arrangement", "CriteriaProduct"):
        assert "bronnen" in schemas[naam]["properties"] and "onderbouwing" in schemas[naam]["properties"]
    assert {"leefgebieden", "modules"} <= set(schemas["Arrangement"]["properties"])
    assert {"criteria", "orientatie_maanden", "product"} <= set(schemas["CriteriaProduct"]["properties"])
    assert "geldig_vanaf" in schemas["PolicyRef"]["properties"]
    assert "bronnen" in schemas["Onderbouwing"]["properties"]
    ok = OPENAPI["paths"]["/api/drafts/{id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Draft"}


def test_the_regions_result_survives_the_store(sqlite_url):
    from actions.store import DraftStore

    store = DraftStore.from_url(sqlite_url)
    gelderland = load_policy(Path(POLICY_DIR / "centraal-gelderland.yml"))
    intake = _intake("g", "Arnhem", planbaar=False)
    opgeslagen = store.get(store.submit(classify(intake, gelderland), intake=intake).id)
    assert isinstance(opgeslagen.afweging, CriteriaProduct)
    assert opgeslagen.afweging.uitkomst == "specialistisch" and opgeslagen.afweging.orientatie_maanden == 3
    assert opgeslagen.afweging.bronnen and opgeslagen.policy.bestand == "centraal-gelderland"


def _kapot(tmp_path, bestand, wijzig):
    data = yaml.safe_load((POLICY_DIR / bestand).read_text(encoding="utf-8"))
    wijzig(data)
    pad = tmp_path / "kapot.yml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return pad


@pytest.mark.parametrize(
    "bestand,wijzig,melding",
    [
        (
            "leidse-regio.yml",
            lambda d: d["afweging"]["leefgebieden"]["dagbesteding"].update(gebieden=["vrije_tijd"]),
            "afweging.leefgebieden.dagbesteding.gebieden: onbekend resultaatgebied 'vrije_tijd'",
        ),
        (
            "leidse-regio.yml",
            lambda d: d["afweging"]["leefgebieden"]["dagbesteding"].update(gebieden=[]),
            "afweging.leefgebieden: resultaatgebied(en) daginvulling_zingeving bij geen leefgebied",
        ),
        (
            "leidse-regio.yml",
            lambda d: d["afweging"]["leefgebieden"]["geldzaken"].update(laagste=4),
            "afweging.leefgebieden.geldzaken: laagste (4) is hoger dan hoogste (3)",
        ),
        (
            "leidse-regio.yml",
            lambda d: d["afweging"]["segmenten"]["ouderen"]["als"].update(kenmerken=["bejaard"]),
            "afweging.segmenten.ouderen.als.kenmerken: onbekend kenmerk 'bejaard' (zet het onder kenmerken)",
        ),
        (
            "leidse-regio.yml",
            lambda d: d["afweging"]["segmenten"]["herstelgericht"].update(als={}),
            "noem minstens één voorwaarde (bijvoorbeeld planbaar: false)",
        ),
        (
            "leidse-regio.yml",
            lambda d: d.update(
                zwaarte={"aanname": True, "vast_te_stellen_door": "x", "waarde": [{"band": "5", "min": 5, "max": 5}]}
            ),
            "zwaarte: hoort alleen bij afweging.soort telling (dit bestand: treden)",
        ),
        (
            "centraal-gelderland.yml",
            lambda d: d["afweging"].update(standaard="licht"),
            "afweging: standaard: onbekend product 'licht'; kies uit basis, specialistisch",
        ),
        (
            "centraal-gelderland.yml",
            lambda d: d["afweging"]["criteria"]["onplanbaar"]["als"].update(frequentie=["soms"]),
            "afweging.criteria.onplanbaar.als.frequentie[0]: onbekende waarde; kies uit 'dagelijks', 'paar_keer_per_week'",
        ),
        (
            "centraal-gelderland.yml",
            lambda d: d["afweging"].update(soort="punten"),
            "afweging: onbekende soort; kies uit telling, treden of criteria",
        ),
        (
            "lekstroom.yml",
            lambda d: d.pop("producten"),
            "afweging.soort telling: ontbreekt producten",
        ),
    ],
)
def test_a_wrong_afweging_is_refused_in_dutch_naming_file_and_key(tmp_path, bestand, wijzig, melding):
    pad = _kapot(tmp_path, bestand, wijzig)
    with pytest.raises(PolicyError) as fout:
        load_policy(pad)
    assert str(fout.value).startswith(f"{pad}: ") and melding in str(fout.value), str(fout.value)
