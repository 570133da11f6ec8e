"""The afwegingskader as small pure functions: `classify(intake, policy) -> Draft`.

Each rule decides one thing and returns it together with its `Onderbouwing` (the rule and the
answers it rests on), so a consultant can check a draft without reading the transcript. Called by
the action server when an intake is submitted and by the review app when a consultant edits facts.
"""

from __future__ import annotations

from typing import List, Literal, Set, Tuple

from .model import (
    Bewegingen,
    Draft,
    DraftGebied,
    Evaluatiemoment,
    GebiedAntwoord,
    Intake,
    Intensiteit,
    Omstandigheid,
    Onderbouwing,
    PolicyRef,
    Product,
    RegelBron,
    Signaal,
    TypeOndersteuning,
    Zwaarte,
)
from .policy import Policy

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
    i = next(i for i, b in enumerate(policy.zwaarte) if b.min <= min(n, policy.zwaarte[-1].max) <= b.max)
    band = policy.zwaarte[i].band
    namen = ", ".join(policy.resultaatgebieden[g.code].naam for g in gebieden)
    banden = ", ".join(f"{_van_tot(b.min, b.max)}: {b.band}" for b in policy.zwaarte)
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
    hoogste = [c for c in codes if c in policy.intensiteit.altijd_hoogste]
    if hoogste:
        niveau = policy.intensiteit.niveaus[-1].niveau
        return niveau, Onderbouwing(
            besluit="intensiteit",
            uitkomst=niveau,
            regel=f"{', '.join(hoogste)} geeft op zichzelf al de hoogste intensiteit ({niveau}).",
            grond=grond,
            bronnen=bronnen(policy, "intensiteit.altijd_hoogste", *omstandigheid_paden),
        )
    i, gekozen = next(
        (i, x) for i, x in enumerate(policy.intensiteit.niveaus) if x.min <= n and (x.max is None or n <= x.max)
    )
    telregel = ", ".join(f"{_van_tot(x.min, x.max)}: {x.niveau}" for x in policy.intensiteit.niveaus)
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
        policy=PolicyRef(naam=policy.naam, versie=policy.versie, geldig_vanaf=policy.geldig_vanaf.isoformat()),
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

    zwaarte, why = bepaal_zwaarte(gebieden, policy)
    onderbouwing.append(why)
    type_, why, _ = bepaal_type(gebieden, intake, policy)
    onderbouwing.append(why)
    intensiteit, why = bepaal_intensiteit(telt, policy)
    onderbouwing.append(why)
    duur, why = bepaal_duur(type_, intake, policy)
    onderbouwing.append(why)
    cel = policy.product_voor(zwaarte, type_, intensiteit)
    onderbouwing.append(
        Onderbouwing(
            besluit="product",
            uitkomst=cel.code,
            regel="Het product is de cel zwaarte × type × intensiteit van het afwegingskader.",
            grond=f"{zwaarte} × {type_} × {intensiteit}.",
            bronnen=bronnen(policy, f"producten[{policy.producten.index(cel)}]"),
        )
    )
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
    draft.zwaarte = zwaarte
    draft.type = type_
    draft.intensiteit = intensiteit
    draft.duur_maanden = duur
    draft.evaluatiemomenten = evaluatiemomenten(type_, duur, policy)
    onderbouwing.insert(len(onderbouwing) - 2, evaluatie_onderbouwing(type_, draft.evaluatiemomenten, policy))
    draft.product = Product(code=cel.code, label=policy.product_label_voor(cel), tarief=cel.tarief)
    draft.bewegingen = bewegingen(intake, type_, duur, gebieden, policy)
    draft.onderbouwing = onderbouwing
    return draft
