"""The analysis for the team and the product owner: `/review/analyse` (page), `/review/analyse.csv`,
`GET /api/stats/funnel` and `GET /api/stats/agreement`. Figures from `actions/analyse/cijfers.py`;
admins see every gemeente, consultants their own. Filters: `van`, `tot` (YYYY-MM-DD) and `gemeente`.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlencode

from aiohttp import web

from ..analyse.cijfers import Bereik, funnel, overeenstemming
from ..review import GeenToegang, OngeldigeActie
from ..store.accounts import Gebruiker
from .api import beveiligd, fout
from .config import POLICY, STORE
from .views import render

STAP_NAMEN = {
    "toestemming": "Toestemming",
    "gemeente": "Woonplaats",
    "leeftijd": "Leeftijd",
    "hulpvraag": "Hulpvraag",
    "resultaatgebieden": "Waarbij hulp",
    "doelen": "Doelen",
    "type_ondersteuning": "Leren of blijft",
    "prioriteit": "Wat eerst",
    "eigen_kracht": "Wat zelf lukt",
    "netwerk": "Mensen om u heen",
    "voorliggend_veld": "Hulp in de buurt",
    "verzwarende_omstandigheden": "Extra moeilijk",
    "duur": "Hoe lang",
    "contact": "Contact",
    "bevestiging": "Samenvatting klopt",
    "buiten_intake": "Buiten de intake",
}
UITKOMST_NAMEN = {
    "concept": "Concept naar het sociaal team",
    "geen_toestemming": "Geen toestemming",
    "buiten_regio": "Woont buiten de regio",
    "minderjarig": "Jonger dan 18",
    "gestopt": "Gestopt",
    "verwijderd": "Gegevens gewist",
    "afgebroken": "Afgehaakt (stil)",
    "bezig": "Nog bezig",
}
REDEN_NAMEN = {
    "waarom": "Waarom",
    "stoppen": "Stoppen",
    "opnieuw": "Opnieuw",
    "mens": "Iemand spreken",
    "wissen": "Wissen",
    "corrigeren": "Verbeteren",
    "gevaar": "Gevaar",
}
FEIT_NAMEN = {
    "gemeente": "Gemeente",
    "resultaatgebieden": "Resultaatgebieden",
    "type": "Type per gebied",
    "prioriteit": "Prioriteit",
    "verzwarende_omstandigheden": "Verzwarende omstandigheden",
    "intensiteit": "Intensiteit",
    "duur": "Duur",
    "product": "Product",
    "advies": "Advies",
    "urgent": "Urgent",
}


def _datum(query: Mapping[str, str], naam: str) -> Optional[date]:
    waarde = (query.get(naam) or "").strip()
    if not waarde:
        return None
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise OngeldigeActie(
            f"De datum bij '{naam}' klopt niet. Schrijf hem als jaar-maand-dag, bijvoorbeeld 2026-11-01."
        ) from None


def bereik_uit(query: Mapping[str, str], gebruiker: Gebruiker, gemeenten: List[str]) -> Bereik:
    """The filters of a request, checked: a clear Dutch message for a wrong date or gemeente."""
    van, tot = _datum(query, "van"), _datum(query, "tot")
    if van and tot and van > tot:
        raise OngeldigeActie("De begindatum ligt na de einddatum.")
    gemeente = (query.get("gemeente") or "").strip() or None
    if gemeente is not None:
        if gemeente not in gemeenten:
            raise OngeldigeActie(f"Onbekende gemeente '{gemeente}'.")
        if not gebruiker.mag_zien(gemeente):
            raise GeenToegang(gemeente)
    return Bereik(van=van, tot=tot, gemeente=gemeente, gemeenten=gebruiker.zichtbare_gemeenten())


# -- API ------------------------------------------------------------------------------------------


def _bereik(request: web.Request, gebruiker: Gebruiker) -> Bereik:
    return bereik_uit(request.query, gebruiker, list(request.app[POLICY].gemeenten))


@beveiligd
async def api_funnel(request: web.Request, gebruiker: Gebruiker) -> web.Response:
    try:
        return web.json_response(funnel(request.app[STORE].engine, _bereik(request, gebruiker)))
    except GeenToegang:
        return fout(403, "U werkt niet voor deze gemeente.")


@beveiligd
async def api_agreement(request: web.Request, gebruiker: Gebruiker) -> web.Response:
    try:
        return web.json_response(overeenstemming(request.app[STORE].engine, _bereik(request, gebruiker)))
    except GeenToegang:
        return fout(403, "U werkt niet voor deze gemeente.")


# -- page -----------------------------------------------------------------------------------------


def trechter_svg(vragen: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Bars per question (reached, answered) for an inline SVG; the table next to it has the numbers."""
    rijen = [v for v in vragen if v["stap"] != "buiten_intake"]
    top = max((v["bereikt"] for v in rijen), default=0) or 1
    hoogte = 22
    balken = []
    for i, v in enumerate(rijen):
        balken.append(
            {
                "y": i * hoogte * 2,
                "naam": STAP_NAMEN.get(v["stap"], v["stap"]),
                "bereikt": v["bereikt"],
                "beantwoord": v["beantwoord"],
                "b_breedte": round(100 * v["bereikt"] / top, 1),
                "a_breedte": round(100 * v["beantwoord"] / top, 1),
            }
        )
    return {"balken": balken, "hoogte": len(balken) * hoogte * 2, "balk": hoogte - 4}


def _gegevens(request: web.Request) -> Tuple[Bereik, Dict[str, Any], Dict[str, Any]]:
    gebruiker = request["sessie"].gebruiker
    bereik = bereik_uit(request.query, gebruiker, list(request.app[POLICY].gemeenten))
    engine = request.app[STORE].engine
    return bereik, funnel(engine, bereik), overeenstemming(engine, bereik)


async def pagina(request: web.Request) -> web.Response:
    gebruiker = request["sessie"].gebruiker
    gemeenten = [g for g in request.app[POLICY].gemeenten if gebruiker.mag_zien(g)]
    query = {k: request.query.get(k, "") for k in ("van", "tot", "gemeente")}
    try:
        bereik, f, o = _gegevens(request)
    except (OngeldigeActie, GeenToegang) as exc:
        fout = str(exc) if isinstance(exc, OngeldigeActie) else "U werkt niet voor deze gemeente."
        return render(request, "analyse.html", status=400, fout=fout, query=query, gemeenten=gemeenten, f=None)
    return render(
        request,
        "analyse.html",
        query=query,
        gemeenten=gemeenten,
        f=f,
        o=o,
        trechter=trechter_svg(f["vragen"]),
        namen={"stap": STAP_NAMEN, "uitkomst": UITKOMST_NAMEN, "reden": REDEN_NAMEN, "feit": FEIT_NAMEN},
        export_feiten=", ".join(FEIT_NAMEN[f].lower() for f in o["correcties_export"]["feiten"]),
        csv_link="/review/analyse.csv?" + urlencode({k: v for k, v in query.items() if v}),
        bereik=bereik,
    )


def csv_tekst(f: Dict[str, Any], o: Dict[str, Any]) -> str:
    """One CSV with every figure of the page, one row per figure: onderdeel;sleutel;maat;waarde."""
    uit = io.StringIO()
    w = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    w.writerow(["onderdeel", "sleutel", "maat", "waarde"])
    w.writerow(["gesprekken", "", "aantal", f["gesprekken"]])
    for v in f["vragen"]:
        for maat in (
            "bereikt",
            "beantwoord",
            "beantwoord_met_knop",
            "niet_begrepen",
            "niet_begrepen_gesprekken",
            "niet_begrepen_percentage",
            "opnieuw_gevraagd",
            "mediaan_seconden",
        ):
            w.writerow(["vraag", v["stap"], maat, "" if v[maat] is None else v[maat]])
        for reden, n in v["onderbrekingen"].items():
            w.writerow(["vraag", v["stap"], f"onderbreking_{reden}", n])
    for code, n in f["uitkomsten"].items():
        w.writerow(["uitkomst", code, "aantal", n])
    for maat, waarde in f["intaketijd"].items():
        w.writerow(["intaketijd", "", maat, "" if waarde is None else waarde])
    for r in o["feiten"]:
        w.writerow(["overeenstemming", r["feit"], "besluiten", r["besluiten"]])
        w.writerow(["overeenstemming", r["feit"], "gelijk", r["gelijk"]])
        w.writerow(["overeenstemming", r["feit"], "percentage", "" if r["percentage"] is None else r["percentage"]])
    for week in o["per_week"]:
        for r in week["feiten"]:
            w.writerow(
                [
                    f"overeenstemming {week['week']}",
                    r["feit"],
                    "percentage",
                    "" if r["percentage"] is None else r["percentage"],
                ]
            )
    return uit.getvalue()


async def csv_download(request: web.Request) -> web.Response:
    try:
        _, f, o = _gegevens(request)
    except OngeldigeActie as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    except GeenToegang:
        raise web.HTTPForbidden(text="U werkt niet voor deze gemeente.") from None
    return web.Response(
        text=csv_tekst(f, o),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="analyse.csv"', "Cache-Control": "no-store"},
    )
