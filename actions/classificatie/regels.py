"""The afwegingskader as small pure functions: `classify(intake, policy) -> Draft`.

Each rule decides one thing and returns it together with its `Onderbouwing` (the rule and the
answers it rests on), so a consultant can check a draft without reading the transcript. Called by
the action server when an intake is submitted and by the review app when a consultant edits facts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Literal, Set, Tuple

from .model import (
    Arrangement,
    Bewegingen,
    CriteriaProduct,
    Criterium,
    Draft,
    DraftGebied,
    Evaluatiemoment,
    GebiedAntwoord,
    Intake,
    Intensiteit,
    MatrixCel,
    Module,
    Omstandigheid,
    Onderbouwing,
    PolicyRef,
    Product,
    RegelBron,
    Signaal,
    Trede,
    TypeOndersteuning,
    Zwaarte,
)
from .policy import Criteria, Policy, Treden, Voorwaarde

GEVAAR = "gevaar_zelf_of_anderen"


def _kort(tekst: str, n: int = 120) -> str:
    tekst = " ".join(tekst.split())
    return tekst if len(tekst) <= n else tekst[: n - 1] + "…"


def _citaat(tekst: str) -> str:
    return f"“{_kort(tekst)}”" if tekst.strip() else "(geen antwoord)"


def bronnen(policy: Policy, *paden: str) -> List[RegelBron]:
    """The origin of each rule that decided, by its key path in the policy file (each origin once)."""
    result: List[RegelBron] = []
    for pad in paden:
        h = policy.herkomst_van(pad)
        if h is None:
            continue
        bron = RegelBron(sleutel=pad, bron=h.bron, aanname=h.aanname, vast_te_stellen_door=h.vast_te_stellen_door)
        if not any(
            (b.bron, b.aanname, b.vast_te_stellen_door) == (h.bron, h.aanname, h.vast_te_stellen_door) for b in result
        ):
            result.append(bron)
    return result


def _van_tot(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"{lo} of meer"
    if lo == hi:
        return str(lo)
    return f"{lo} tot en met {hi}"


def _lijst_index(waarden: List[str], waarde: str) -> int:
    return waarden.index(waarde) if waarde in waarden else 0


# -- Who is this for: region and age ---------------------------------------------------------------


def toegang(intake: Intake, policy: Policy) -> Tuple[str | None, Onderbouwing]:
    """Return a reason to refer (doorverwijzen) or None when the Wmo route applies."""
    if intake.buiten_regio:
        plek = intake.woonplaats or "een plaats buiten de regio"
        return "buiten_regio", Onderbouwing(
            besluit="advies",
            uitkomst="doorverwijzen",
            regel=f"Alleen inwoners van {policy.naam} ({', '.join(policy.gemeenten)}) vallen onder dit kader.",
            grond=f"Woonplaats: {plek}.",
            bronnen=bronnen(policy, "gemeenten"),
        )
    if intake.leeftijd is not None and intake.leeftijd < policy.leeftijd.minimum:
        return "minderjarig", Onderbouwing(
            besluit="advies",
            uitkomst="doorverwijzen",
            regel=f"Onder de {policy.leeftijd.minimum} jaar valt hulp onder de Jeugdwet, niet de Wmo.",
            grond=f"Leeftijd: {intake.leeftijd}.",
            bronnen=bronnen(policy, "leeftijd.minimum"),
        )
    return None, Onderbouwing(
        besluit="toegang",
        uitkomst="Wmo",
        regel=f"Inwoner van {policy.naam}, {policy.leeftijd.minimum} jaar of ouder.",
        grond=f"Gemeente: {intake.gemeente or 'onbekend'}; leeftijd: {intake.leeftijd if intake.leeftijd is not None else 'onbekend'}.",
        bronnen=bronnen(policy, "gemeenten", "leeftijd.minimum"),
    )


# -- Areas, priority and type ----------------------------------------------------------------------


def geordende_gebieden(intake: Intake, policy: Policy) -> List[GebiedAntwoord]:
    """Known areas without duplicates, the priority area first, otherwise in the order named."""
    seen: Set[str] = set()
    gebieden = []
    for g in intake.resultaatgebieden:
        if g.code in policy.resultaatgebieden and g.code not in seen:
            seen.add(g.code)
            gebieden.append(g)
    if intake.prioriteit in seen:
        gebieden.sort(key=lambda g: g.code != intake.prioriteit)
    return gebieden


def alleen_administratie(gebieden: List[GebiedAntwoord], policy: Policy) -> bool:
    return bool(gebieden) and all(policy.resultaatgebieden[g.code].alleen_met_ander_gebied for g in gebieden)


def bepaal_zwaarte(gebieden: List[GebiedAntwoord], policy: Policy) -> Tuple[Zwaarte, Onderbouwing]:
    n = len(gebieden)
    zwaartes, _ = policy.telling()
    i = next(i for i, b in enumerate(zwaartes) if b.min <= min(n, zwaartes[-1].max) <= b.max)
    band = zwaartes[i].band
    namen = ", ".join(policy.resultaatgebieden[g.code].naam for g in gebieden)
    banden = ", ".join(f"{_van_tot(b.min, b.max)}: {b.band}" for b in zwaartes)
    return band, Onderbouwing(
        besluit="zwaarte",
        uitkomst=band,
        regel=f"Zwaarte = het aantal resultaatgebieden waaraan tegelijk wordt gewerkt ({banden}).",
        grond=f"{n} resultaatgebied(en): {namen}.",
        bronnen=bronnen(policy, f"zwaarte[{i}]"),
    )


def bepaal_type(
    gebieden: List[GebiedAntwoord], intake: Intake, policy: Policy
) -> Tuple[TypeOndersteuning, Onderbouwing, bool]:
    """Overall type = type of the priority area (first named if none). Returns (type, why, known)."""
    leidend = gebieden[0]
    naam = policy.resultaatgebieden[leidend.code].naam
    waarom = (
        "door de inwoner als belangrijkste genoemd"
        if intake.prioriteit == leidend.code
        else "geen prioriteit genoemd, dus het eerst genoemde gebied"
    )
    if leidend.type is not None:
        return (
            leidend.type,
            Onderbouwing(
                besluit="type",
                uitkomst=leidend.type,
                regel="Het type van de indicatie is het type van het prioritaire resultaatgebied.",
                grond=f"{naam} ({waarom}): {_citaat(leidend.type_toelichting)}.",
                bronnen=bronnen(policy, "type_ondersteuning"),
            ),
            True,
        )
    for bekend in gebieden if policy.type_ondersteuning.eerste_bekende else []:
        if bekend.type is not None:
            return (
                bekend.type,
                Onderbouwing(
                    besluit="type",
                    uitkomst=bekend.type,
                    regel="Type van het prioritaire gebied onbekend: het eerste gebied met een bekend type telt.",
                    grond=f"{policy.resultaatgebieden[bekend.code].naam}: {_citaat(bekend.type_toelichting)}.",
                    bronnen=bronnen(policy, "type_ondersteuning.eerste_bekende"),
                ),
                False,
            )
    standaard = policy.type_ondersteuning.standaard
    duur = policy.duur[standaard].standaard
    return (
        standaard,
        Onderbouwing(
            besluit="type",
            uitkomst=standaard,
            regel=f"Type onbekend: voorlopig {standaard} (standaardduur {duur} maanden, eerste evaluatie na "
            f"{policy.evaluatie.eerste_na_maanden} maanden); consulent stelt vast.",
            grond=f"{naam}: de inwoner wist het niet of zei er niets over.",
            bronnen=bronnen(policy, "type_ondersteuning.standaard"),
        ),
        False,
    )


def gevaar_voor_zelf_of_anderen(intake: Intake) -> bool:
    """Danger to self or others; a victim of violence alone is not a danger to others."""
    if not intake.veiligheid:
        return False
    return not intake.veiligheid_soort or bool(set(intake.veiligheid_soort) - {"slachtoffer"})


# -- Intensity --------------------------------------------------------------------------------------


def verzwarend(intake: Intake, policy: Policy) -> Tuple[List[Omstandigheid], List[Onderbouwing]]:
    """The circumstances that count, each once; a diagnosis or LVB on its own does not count."""
    telt: List[Omstandigheid] = []
    uitleg: List[Onderbouwing] = []
    omstandigheden = list(intake.verzwarende_omstandigheden)
    if gevaar_voor_zelf_of_anderen(intake) and not any(o.code == GEVAAR for o in omstandigheden):
        omstandigheden.append(Omstandigheid(code=GEVAAR, toelichting=intake.veiligheid or ""))
    for o in omstandigheden:
        if o.code in policy.niet_verzwarend:
            uitleg.append(
                Onderbouwing(
                    besluit="verzwarende omstandigheid",
                    uitkomst="telt niet",
                    regel=f"'{o.code}' is op zichzelf geen verzwarende omstandigheid; alleen wat eruit volgt telt.",
                    grond=_citaat(o.toelichting),
                    bronnen=bronnen(policy, f"niet_verzwarend[{_lijst_index(policy.niet_verzwarend, o.code)}]"),
                )
            )
            continue
        code = o.code if o.code in policy.verzwarende_omstandigheden else "overig"
        if any(t.code == code for t in telt) and code != "overig":
            continue
        telt.append(Omstandigheid(code=code, toelichting=o.toelichting))
    return telt, uitleg


def bepaal_intensiteit(omstandigheden: List[Omstandigheid], policy: Policy) -> Tuple[Intensiteit, Onderbouwing]:
    n = len(omstandigheden)
    codes = [o.code for o in omstandigheden]
    grond = (
        "; ".join(f"{o.code}: {_citaat(o.toelichting)}" for o in omstandigheden)
        or "De inwoner noemde geen verzwarende omstandigheden."
    )
    omstandigheid_paden = [f"verzwarende_omstandigheden.{c}" for c in codes]
    _, regels = policy.telling()
    hoogste = [c for c in codes if c in regels.altijd_hoogste]
    if hoogste:
        niveau = regels.niveaus[-1].niveau
        return niveau, Onderbouwing(
            besluit="intensiteit",
            uitkomst=niveau,
            regel=f"{', '.join(hoogste)} geeft op zichzelf al de hoogste intensiteit ({niveau}).",
            grond=grond,
            bronnen=bronnen(policy, "intensiteit.altijd_hoogste", *omstandigheid_paden),
        )
    i, gekozen = next((i, x) for i, x in enumerate(regels.niveaus) if x.min <= n and (x.max is None or n <= x.max))
    telregel = ", ".join(f"{_van_tot(x.min, x.max)}: {x.niveau}" for x in regels.niveaus)
    return gekozen.niveau, Onderbouwing(
        besluit="intensiteit",
        uitkomst=gekozen.niveau,
        regel=f"Intensiteit volgt uit het aantal genoemde verzwarende omstandigheden ({telregel}).",
        grond=f"{n} omstandigheid/omstandigheden. {grond}",
        bronnen=bronnen(policy, f"intensiteit.niveaus[{i}]", *omstandigheid_paden),
    )


# -- Duration and evaluations -----------------------------------------------------------------------


def bepaal_duur(type_: TypeOndersteuning, intake: Intake, policy: Policy) -> Tuple[int, Onderbouwing]:
    regel = policy.duur[type_]  # both types present: checked when the policy is loaded
    verwacht = intake.duur_verwachting_maanden
    bounds = f"{type_}: standaard {regel.standaard}, minimaal {regel.min}, maximaal {regel.max} maanden"
    if verwacht is None:
        return regel.standaard, Onderbouwing(
            besluit="duur",
            uitkomst=f"{regel.standaard} maanden",
            regel=f"Geen verwachting van de inwoner: de standaardduur ({bounds}).",
            grond=_citaat(intake.duur_toelichting),
            bronnen=bronnen(policy, f"duur.{type_}.standaard"),
        )
    duur = min(max(verwacht, regel.min), regel.max)
    if duur != verwacht:
        hoe = f"begrensd van {verwacht} naar {duur} maanden"
        grens = "min" if verwacht < regel.min else "max"
    else:
        hoe = "binnen de grenzen overgenomen"
        grens = ""
    paden = [f"duur.{type_}.{grens}"] if grens else [f"duur.{type_}.min", f"duur.{type_}.max"]
    return duur, Onderbouwing(
        besluit="duur",
        uitkomst=f"{duur} maanden",
        regel=f"De verwachting van de inwoner telt binnen de grenzen ({bounds}); {hoe}.",
        grond=_citaat(intake.duur_toelichting),
        bronnen=bronnen(policy, *paden),
    )


def evaluatiemomenten(type_: TypeOndersteuning, duur: int, policy: Policy) -> List[Evaluatiemoment]:
    ev = policy.evaluatie
    eind = round(duur - ev.voor_einde_weken * 12 / 52, 1)
    momenten: List[Evaluatiemoment] = []
    maand = ev.eerste_na_maanden
    soort: Literal["eerste", "tussentijds"] = "eerste"
    while maand < eind:
        momenten.append(Evaluatiemoment(soort=soort, na_maanden=maand, omschrijving=f"Evaluatie na {maand} maanden"))
        soort = "tussentijds"
        maand += ev.daarna_elke_maanden[type_]
    momenten.append(
        Evaluatiemoment(
            soort="eind",
            na_maanden=max(eind, 0),
            omschrijving=f"Eindevaluatie {ev.voor_einde_weken} weken voor het einde",
        )
    )
    return momenten


def evaluatie_onderbouwing(type_: TypeOndersteuning, momenten: List[Evaluatiemoment], policy: Policy) -> Onderbouwing:
    ev = policy.evaluatie
    return Onderbouwing(
        besluit="evaluatie",
        uitkomst=", ".join(f"{m.na_maanden:g} mnd" for m in momenten),
        regel=f"Eerste evaluatie na {ev.eerste_na_maanden} maanden, daarna elke {ev.daarna_elke_maanden[type_]} "
        f"maanden ({type_}), eindevaluatie {ev.voor_einde_weken} weken voor het einde.",
        grond=f"Duur en type van deze indicatie ({type_}).",
        bronnen=bronnen(
            policy,
            "evaluatie.eerste_na_maanden",
            f"evaluatie.daarna_elke_maanden.{type_}",
            "evaluatie.voor_einde_weken",
        ),
    )


# -- Signals ----------------------------------------------------------------------------------------


def signalen(intake: Intake, gebieden: List[GebiedAntwoord], policy: Policy) -> List[Signaal]:
    result: List[Signaal] = []

    def add(code: str, waarde: str | None, reden: str, *paden: str) -> None:
        if not any(s.code == code and s.waarde == waarde for s in result):
            result.append(Signaal(code=code, waarde=waarde, reden=reden, bronnen=bronnen(policy, *paden)))

    if intake.veiligheid:
        if gevaar_voor_zelf_of_anderen(intake):
            add("veiligheid", None, f"De inwoner noemde gevaar: {_citaat(intake.veiligheid)}")
        else:
            reden = (
                f"De inwoner lijkt zelf niet veilig (slachtoffer van geweld of dreiging): {_citaat(intake.veiligheid)}"
            )
            add("veiligheid", None, reden)
    jv = policy.leeftijd.jongvolwassene
    if intake.leeftijd is not None and jv.van <= intake.leeftijd <= jv.tot:
        aandacht = f": let op {jv.aandacht}" if jv.aandacht else ""
        add(
            "jongvolwassene",
            None,
            f"Leeftijd {intake.leeftijd} ({jv.van}–{jv.tot}){aandacht}.",
            "leeftijd.jongvolwassene",
        )
    for k in intake.kenmerken:
        regel = policy.kenmerken.get(k.code)
        if regel is not None and regel.signaal:
            add(regel.signaal, regel.waarde, f"Genoemd door de inwoner: {_citaat(k.tekst)}", f"kenmerken.{k.code}")
    codes = {k.code for k in intake.kenmerken}
    if policy.wlz_grens and codes & set(policy.wlz_grens.een_van) and codes & set(policy.wlz_grens.en_een_van):
        teksten = [k.tekst for k in intake.kenmerken if k.code in policy.wlz_grens.en_een_van]
        add(
            "wlz_grens",
            None,
            f"Achteruitgang en blijvend toezicht nodig: {_citaat(teksten[0])}. Toets of de Wlz van toepassing is.",
            "wlz_grens",
        )
    if alleen_administratie(gebieden, policy):
        namen = ", ".join(policy.resultaatgebieden[g.code].naam for g in gebieden)
        add(
            "alleen_administratie",
            None,
            f"Alleen {namen}: eerst voorliggend veld of hulp uit de omgeving.",
            *(f"resultaatgebieden.{g.code}.alleen_met_ander_gebied" for g in gebieden),
        )
    return result


# -- Advice, bewegingen and the whole draft ---------------------------------------------------------


def passende_voorzieningen(intake: Intake, gebieden: List[GebiedAntwoord], policy: Policy) -> List[str]:
    gemeente = policy.gemeenten.get(intake.gemeente or "")
    beschikbaar = gemeente.voorliggend_veld if gemeente else list(policy.voorzieningen)
    codes = {g.code for g in gebieden}
    gekozen = [v for v in beschikbaar if codes & set(policy.voorzieningen[v].past_bij)]
    for k in intake.kenmerken:
        regel = policy.kenmerken.get(k.code)
        if regel is not None and regel.voorziening in beschikbaar and regel.voorziening not in gekozen:
            gekozen.append(regel.voorziening)
    return gekozen


def bewegingen(
    intake: Intake, type_: TypeOndersteuning, duur: int, gebieden: List[GebiedAntwoord], policy: Policy
) -> Bewegingen:
    if type_ == "ontwikkelen":
        afschalen = f"Afschalen verwacht zodra de doelen zijn bereikt, uiterlijk na {duur} maanden; bespreken bij elke evaluatie."
    else:
        afschalen = "Geen grote verbetering verwacht: bij elke evaluatie bekijken of minder ondersteuning of meer hulp uit de omgeving kan."
    netwerk = intake.netwerk.strip()
    informeel = (
        f"Uitbouwen wat er is: {_citaat(netwerk)}. Kijken wie er nog meer kan helpen, zonder iemand te overbelasten."
        if netwerk
        else "Samen met de inwoner zoeken wie uit familie, buurt of vrienden kan helpen."
    )
    return Bewegingen(
        afschalen=afschalen,
        voorliggend_veld=[policy.voorzieningen[v].naam for v in passende_voorzieningen(intake, gebieden, policy)],
        informele_ondersteuning=informeel,
    )


def ontbrekende_onderdelen(intake: Intake) -> List[str]:
    missing = []
    for veld, waarde in (
        ("gemeente", intake.gemeente),
        ("leeftijd", intake.leeftijd),
        ("hulpvraag", intake.hulpvraag.strip()),
        ("resultaatgebieden", intake.resultaatgebieden),
        ("eigen_kracht", intake.eigen_kracht.strip()),
        ("netwerk", intake.netwerk.strip()),
        ("voorliggend_veld", intake.voorliggend_veld.strip()),
    ):
        if waarde in (None, "", []):
            missing.append(veld)
    for g in intake.resultaatgebieden:
        if not g.doel.strip():
            missing.append(f"doel:{g.code}")
        if g.type is None:
            missing.append(f"type:{g.code}")
    if not intake.afgerond:
        missing.append("bevestiging")
    return missing


def classify(intake: Intake, policy: Policy) -> Draft:
    """Apply the afwegingskader to one intake and explain every decision."""
    onderbouwing: List[Onderbouwing] = []
    gebieden = geordende_gebieden(intake, policy)
    draft = Draft(
        conversation_id=intake.conversation_id,
        urgent=bool(intake.veiligheid),
        gemeente=intake.gemeente,
        leeftijd=intake.leeftijd,
        hulpvraag=intake.hulpvraag,
        resultaatgebieden=[
            DraftGebied(code=g.code, doel=g.doel, type=g.type, prioriteit=i + 1) for i, g in enumerate(gebieden)
        ],
        eigen_kracht=intake.eigen_kracht,
        netwerk=intake.netwerk,
        voorliggend_veld=intake.voorliggend_veld,
        advies="maatwerk",
        signalen=signalen(intake, gebieden, policy),
        ontbrekend=ontbrekende_onderdelen(intake),
        policy=PolicyRef(
            naam=policy.naam,
            versie=policy.versie,
            bestand=policy.bestand or None,
            geldig_vanaf=policy.geldig_vanaf.isoformat(),
        ),
        transcript=intake.transcript,
    )
    telt, niet_telt = verzwarend(intake, policy)
    draft.verzwarende_omstandigheden = telt
    onderbouwing.extend(niet_telt)

    reden, why = toegang(intake, policy)
    onderbouwing.append(why)
    if reden is not None:
        draft.advies = "doorverwijzen"
        draft.onderbouwing = onderbouwing
        return draft

    if not gebieden:
        draft.advies = "voorliggend_veld"
        onderbouwing.append(
            Onderbouwing(
                besluit="advies",
                uitkomst="voorliggend_veld",
                regel=policy.advies.zonder_gebied,
                grond=f"Hulpvraag: {_citaat(intake.hulpvraag)}",
                bronnen=bronnen(policy, "advies.zonder_gebied"),
            )
        )
        draft.onderbouwing = onderbouwing
        return draft

    if alleen_administratie(gebieden, policy):
        draft.advies = "voorliggend_veld"
        gebied = policy.resultaatgebieden[gebieden[0].code]
        passend = [policy.voorzieningen[v].naam for v in passende_voorzieningen(intake, gebieden, policy)]
        draft.bewegingen = Bewegingen(
            afschalen="Niet van toepassing: geen maatwerk.",
            voorliggend_veld=passend,
            informele_ondersteuning=f"Kijken of iemand uit de omgeving kan meehelpen ({gebied.uitleg}).",
        )
        wat = f" ({', '.join(passend)})" if passend else ""
        onderbouwing.append(
            Onderbouwing(
                besluit="advies",
                uitkomst="voorliggend_veld",
                regel=f"{gebied.naam} telt alleen voor maatwerk samen met een ander resultaatgebied; "
                f"alleen dit gebied: voorliggend veld of informele hulp{wat}.",
                grond=f"Genoemd: {gebied.naam}.",
                bronnen=bronnen(policy, f"resultaatgebieden.{gebieden[0].code}.alleen_met_ander_gebied"),
            )
        )
        draft.onderbouwing = onderbouwing
        return draft

    type_, why, _ = bepaal_type(gebieden, intake, policy)
    onderbouwing.append(why)
    duur, duur_why = bepaal_duur(type_, intake, policy)
    feiten = Feiten.uit(intake, telt, gebieden, type_)
    afweging = policy.afweging
    if isinstance(afweging, Treden):
        draft.afweging = bepaal_arrangement(gebieden, feiten, afweging, policy)
        onderbouwing.extend(draft.afweging.onderbouwing)
    elif isinstance(afweging, Criteria):
        keuze = bepaal_criteria(feiten, afweging, policy)
        onderbouwing.extend(keuze.onderbouwing)
        if keuze.orientatie_maanden is not None:
            duur, duur_why = keuze.orientatie_maanden, orientatie_onderbouwing(keuze, policy)
        draft.product = keuze.product
        draft.afweging = keuze
    else:
        cel = bepaal_matrixcel(gebieden, type_, telt, policy)
        onderbouwing.extend(cel.onderbouwing)
        draft.zwaarte, draft.intensiteit, draft.product = cel.zwaarte, cel.intensiteit, cel.product
        draft.afweging = cel
    onderbouwing.append(duur_why)
    draft.type = type_
    draft.duur_maanden = duur
    draft.evaluatiemomenten = evaluatiemomenten(type_, duur, policy)
    onderbouwing.append(evaluatie_onderbouwing(type_, draft.evaluatiemomenten, policy))
    onderbouwing.append(
        Onderbouwing(
            besluit="advies",
            uitkomst="maatwerk",
            regel=policy.advies.maatwerk,
            bronnen=bronnen(policy, "advies.maatwerk"),
            grond=f"Eigen kracht: {_citaat(intake.eigen_kracht)}; netwerk: {_citaat(intake.netwerk)}; "
            f"voorliggend veld: {_citaat(intake.voorliggend_veld)}.",
        )
    )
    draft.bewegingen = bewegingen(intake, type_, duur, gebieden, policy)
    draft.onderbouwing = onderbouwing
    return draft


# -- Counting: zwaarte × type × intensiteit (afweging.soort telling) ---------------------------------


def bepaal_matrixcel(
    gebieden: List[GebiedAntwoord], type_: TypeOndersteuning, telt: List[Omstandigheid], policy: Policy
) -> MatrixCel:
    zwaarte, zwaarte_why = bepaal_zwaarte(gebieden, policy)
    intensiteit, intensiteit_why = bepaal_intensiteit(telt, policy)
    cel = policy.product_voor(zwaarte, type_, intensiteit)
    product_why = Onderbouwing(
        besluit="product",
        uitkomst=cel.code,
        regel="Het product is de cel zwaarte × type × intensiteit van het afwegingskader.",
        grond=f"{zwaarte} × {type_} × {intensiteit}.",
        bronnen=bronnen(policy, f"producten[{policy.producten.index(cel)}]"),
    )
    return MatrixCel(
        zwaarte=zwaarte,
        type=type_,
        intensiteit=intensiteit,
        product=Product(code=cel.code, label=policy.product_label_voor(cel), tarief=cel.tarief),
        onderbouwing=[zwaarte_why, intensiteit_why, product_why],
        bronnen=bronnen(policy, "afweging", f"producten[{policy.producten.index(cel)}]"),
    )


# -- Conditions of a region's rules (segments, modules, criteria) ------------------------------------

FREQUENTIE_TEKST: Dict[str, str] = {
    "dagelijks": "elke dag",
    "paar_keer_per_week": "een paar keer per week",
    "wekelijks": "één keer per week",
    "minder_vaak": "minder dan één keer per week",
}


@dataclass(frozen=True)
class Feiten:
    """The answers a condition of a policy file may test, for every region the same."""

    omstandigheden: Tuple[str, ...]
    kenmerken: Tuple[str, ...]
    planbaar: bool | None
    frequentie: str | None
    gebieden: int
    leeftijd: int | None
    type: TypeOndersteuning

    @staticmethod
    def uit(
        intake: Intake, telt: List[Omstandigheid], gebieden: List[GebiedAntwoord], type_: TypeOndersteuning
    ) -> Feiten:
        return Feiten(
            omstandigheden=tuple(o.code for o in telt),
            kenmerken=tuple(k.code for k in intake.kenmerken),
            planbaar=intake.planbaar,
            frequentie=intake.frequentie,
            gebieden=len(gebieden),
            leeftijd=intake.leeftijd,
            type=type_,
        )


def _frequentie(waarde: str | None) -> str:
    return FREQUENTIE_TEKST.get(waarde or "", "onbekend")


def voorwaarde_geldt(v: Voorwaarde, f: Feiten) -> Tuple[bool, List[str]]:
    """Whether every test of a condition holds, and per test the answer it looked at."""
    uitslagen: List[Tuple[bool, str]] = []
    if v.omstandigheden_min is not None:
        n = len(f.omstandigheden)
        uitslagen.append(
            (
                n >= v.omstandigheden_min,
                f"{n} verzwarende omstandigheid/omstandigheden (nodig: {v.omstandigheden_min} of meer)",
            )
        )
    if v.omstandigheden:
        genoemd = [c for c in v.omstandigheden if c in f.omstandigheden]
        uitslagen.append(
            (
                bool(genoemd),
                f"omstandigheid {', '.join(genoemd) if genoemd else 'niet genoemd'} (een van: {', '.join(v.omstandigheden)})",
            )
        )
    if v.kenmerken:
        herkend = [c for c in v.kenmerken if c in f.kenmerken]
        uitslagen.append(
            (
                bool(herkend),
                f"herkend: {', '.join(herkend) if herkend else 'niets'} (een van: {', '.join(v.kenmerken)})",
            )
        )
    if v.planbaar is not None:
        tekst = {
            True: "de hulp is te plannen",
            False: "de hulp is niet te plannen",
            None: "of de hulp te plannen is, is onbekend",
        }
        uitslagen.append((f.planbaar is v.planbaar, tekst[f.planbaar]))
    if v.frequentie:
        nodig = " of ".join(_frequentie(x) for x in v.frequentie)
        uitslagen.append((f.frequentie in v.frequentie, f"hulp nodig: {_frequentie(f.frequentie)} (nodig: {nodig})"))
    if v.gebieden_min is not None:
        uitslagen.append(
            (f.gebieden >= v.gebieden_min, f"{f.gebieden} resultaatgebied(en) (nodig: {v.gebieden_min} of meer)")
        )
    if v.leeftijd_vanaf is not None:
        leeftijd = "onbekend" if f.leeftijd is None else str(f.leeftijd)
        geldt = f.leeftijd is not None and f.leeftijd >= v.leeftijd_vanaf
        uitslagen.append((geldt, f"leeftijd {leeftijd} (nodig: {v.leeftijd_vanaf} of ouder)"))
    if v.type is not None:
        uitslagen.append((f.type == v.type, f"type {f.type} (nodig: {v.type})"))
    return all(ok for ok, _ in uitslagen), [t for _, t in uitslagen]


# -- A level per area: leefgebied → trede and segment, plus modules (afweging.soort treden) ----------


def bepaal_arrangement(gebieden: List[GebiedAntwoord], feiten: Feiten, regels: Treden, policy: Policy) -> Arrangement:
    treden: List[Trede] = []
    uitleg: List[Onderbouwing] = []
    for code, lg in regels.leefgebieden.items():
        eigen = [g for g in gebieden if g.code in lg.gebieden]
        if not eigen:
            continue
        type_ = next((g.type for g in eigen if g.type is not None), feiten.type)
        trede, trede_why = _trede(code, eigen, feiten, regels, policy)
        segment, segment_why = _segment(code, replace(feiten, type=type_), regels, policy)
        treden.append(
            Trede(
                code=code,
                naam=lg.naam,
                trede=trede,
                laagste=lg.laagste,
                hoogste=lg.hoogste,
                segment=segment,
                segment_naam=regels.segmenten[segment].naam,
                gebieden=[g.code for g in eigen],
                bronnen=trede_why.bronnen + segment_why.bronnen,
            )
        )
        uitleg += [trede_why, segment_why]
    modules = _modules(feiten, regels, policy)
    uitleg += [
        Onderbouwing(
            besluit="module",
            uitkomst=m.naam,
            regel=f"Module {m.naam}: {regels.modules[m.code].groep}.",
            grond=m.reden,
            bronnen=m.bronnen,
        )
        for m in modules
    ]
    return Arrangement(
        leefgebieden=treden,
        modules=modules,
        onderbouwing=uitleg,
        bronnen=bronnen(policy, "afweging", *(f"afweging.leefgebieden.{t.code}" for t in treden)),
    )


def _trede(
    code: str, eigen: List[GebiedAntwoord], f: Feiten, regels: Treden, policy: Policy
) -> Tuple[int, Onderbouwing]:
    lg = regels.leefgebieden[code]
    regel = regels.trede
    n = len(f.omstandigheden)
    stappen = n * regel.per_omstandigheid
    paden = [f"afweging.leefgebieden.{code}", "afweging.trede.per_omstandigheid"]
    extra: List[str] = []
    for sleutel, ophoging in regel.ophogen.items():
        geldt, waarom = voorwaarde_geldt(ophoging.als, f)
        if geldt:
            stappen += ophoging.stappen
            extra.append(f"{ophoging.naam} ({'; '.join(waarom)}): +{ophoging.stappen}")
            paden.append(f"afweging.trede.ophogen.{sleutel}.als")
    hoogste = [c for c in f.omstandigheden if c in regel.altijd_hoogste]
    if hoogste:
        trede = lg.hoogste
        extra.append(f"{', '.join(hoogste)} geeft op zichzelf al de hoogste trede")
        paden.append("afweging.trede.altijd_hoogste")
    else:
        trede = min(lg.laagste + stappen, lg.hoogste)
    ophogen = "".join(f", plus {o.stappen} bij {o.naam.lower()}" for o in regel.ophogen.values())
    namen = ", ".join(policy.resultaatgebieden[g.code].naam for g in eigen)
    grond = f"{namen}; {n} verzwarende omstandigheid/omstandigheden" + "".join(f"; {e}" for e in extra) + "."
    return trede, Onderbouwing(
        besluit="trede",
        uitkomst=f"{lg.naam}: trede {trede}",
        regel=f"{lg.naam} kent trede {lg.laagste} tot en met {lg.hoogste}: de laagste trede, plus "
        f"{regel.per_omstandigheid} per verzwarende omstandigheid{ophogen}, nooit boven trede {lg.hoogste}.",
        grond=grond,
        bronnen=bronnen(policy, *paden),
    )


def _segment(code: str, f: Feiten, regels: Treden, policy: Policy) -> Tuple[str, Onderbouwing]:
    lg = regels.leefgebieden[code]
    volgorde = ", ".join(s.naam for s in regels.segmenten.values())
    for sleutel, segment in regels.segmenten.items():
        geldt, waarom = voorwaarde_geldt(segment.als, f)
        if geldt:
            return sleutel, Onderbouwing(
                besluit="segment",
                uitkomst=f"{lg.naam}: {segment.naam}",
                regel=f"Per leefgebied het eerste segment waarvan de voorwaarden gelden ({volgorde}).",
                grond=f"{lg.naam}: {'; '.join(waarom)}.",
                bronnen=bronnen(policy, f"afweging.segmenten.{sleutel}", f"afweging.segmenten.{sleutel}.als"),
            )
    # no segment holds: the last one, and the consultant checks it
    sleutel, segment = list(regels.segmenten.items())[-1]
    return sleutel, Onderbouwing(
        besluit="segment",
        uitkomst=f"{lg.naam}: {segment.naam}",
        regel=f"Geen segment past volgens de voorwaarden ({volgorde}): voorlopig het laatste; consulent stelt vast.",
        grond=f"{lg.naam}: type {f.type}.",
        bronnen=bronnen(policy, "afweging.segmenten"),
    )


def _modules(f: Feiten, regels: Treden, policy: Policy) -> List[Module]:
    """Per group of modules the highest one whose conditions hold (a module without conditions is
    the consultant's choice and never chosen here)."""
    gekozen: Dict[str, Module] = {}
    for sleutel, m in regels.modules.items():
        if m.als is None:
            continue
        geldt, waarom = voorwaarde_geldt(m.als, f)
        if geldt:
            gekozen[m.groep] = Module(
                code=sleutel,
                naam=m.naam,
                trede=m.trede,
                reden="; ".join(waarom).capitalize() + ".",
                bronnen=bronnen(policy, f"afweging.modules.{sleutel}", f"afweging.modules.{sleutel}.als"),
            )
    return list(gekozen.values())


# -- Criteria: basis or specialistisch (afweging.soort criteria) -------------------------------------


def bepaal_criteria(f: Feiten, regels: Criteria, policy: Policy) -> CriteriaProduct:
    criteria: List[Criterium] = []
    uitleg: List[Onderbouwing] = []
    for sleutel, c in regels.criteria.items():
        geldt, waarom = voorwaarde_geldt(c.als, f)
        grond = "; ".join(waarom).capitalize() + "."
        paden = (f"afweging.criteria.{sleutel}", f"afweging.criteria.{sleutel}.als")
        criteria.append(
            Criterium(code=sleutel, naam=c.naam, voldaan=geldt, grond=grond, bronnen=bronnen(policy, *paden))
        )
        uitleg.append(
            Onderbouwing(
                besluit="criterium",
                uitkomst=f"{c.naam}: {'ja' if geldt else 'nee'}",
                regel=f"Criterium {c.naam}.",
                grond=grond,
                bronnen=bronnen(policy, *paden),
            )
        )
    voldaan = [c for c in criteria if c.voldaan]
    keuze = regels.bij_criterium if voldaan else regels.standaard
    product = regels.producten[keuze]
    namen = ", ".join(c.naam for c in regels.criteria.values())
    uitleg.append(
        Onderbouwing(
            besluit="product",
            uitkomst=product.code,
            regel=f"{regels.producten[regels.bij_criterium].label} als minstens één criterium geldt ({namen}); "
            f"anders {regels.producten[regels.standaard].label}.",
            grond=f"Voldaan: {', '.join(c.naam for c in voldaan)}." if voldaan else "Geen criterium voldaan.",
            bronnen=bronnen(
                policy, "afweging.standaard" if not voldaan else "afweging.bij_criterium", f"afweging.producten.{keuze}"
            ),
        )
    )
    orientatie = regels.orientatie
    return CriteriaProduct(
        uitkomst=keuze,
        product=Product(code=product.code, label=product.label, tarief=product.tarief),
        criteria=criteria,
        orientatie_maanden=orientatie.maanden if orientatie is not None and orientatie.bij == keuze else None,
        onderbouwing=uitleg,
        bronnen=bronnen(policy, "afweging", f"afweging.producten.{keuze}"),
    )


def orientatie_onderbouwing(keuze: CriteriaProduct, policy: Policy) -> Onderbouwing:
    return Onderbouwing(
        besluit="duur",
        uitkomst=f"{keuze.orientatie_maanden} maanden",
        regel=f"{keuze.product.label} start met een korte oriëntatie-indicatie van {keuze.orientatie_maanden} "
        "maanden: daarin wordt onderzocht welke ondersteuning past.",
        grond="Daarna stelt de consulent met de aanbieder de duur vast.",
        bronnen=bronnen(policy, "afweging.orientatie", "afweging.orientatie.bij"),
    )
