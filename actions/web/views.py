"""Consultant pages under /review: sign-in, queue, draft, edit, actions, overview.

Server-rendered, no JavaScript needed. Every POST carries the session's CSRF token. Everything the
inwoner wrote reaches the page through Jinja's autoescaping, never as HTML.
"""

from __future__ import annotations

import hmac
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from aiohttp import web
from pydantic import ValidationError

from ..classificatie.policy import INTENSITEITEN, TYPES, ZWAARTES
from ..review import FeitenWijziging, GebiedFeit, GeenToegang, OngeldigeActie
from ..store import DraftNotFound, Filters, VersionConflict
from ..store.accounts import Sessie
from .config import ACCOUNTS, CONFIG, JINJA, POLICY, REVIEW
from .overzicht import overzicht_data

COOKIE = "lekstroom_sessie"
OPEN = ("/review/inloggen", "/static/", "/health", "/api/")
MELDINGEN = {
    "genomen": "U behandelt dit concept nu.",
    "goedgekeurd": "De indicatie is goedgekeurd.",
    "afgewezen": "Het concept is afgewezen.",
    "teruggestuurd": "Het concept is teruggestuurd met uw vraag.",
    "gewijzigd": "Uw wijziging is opgeslagen en het concept is opnieuw ingedeeld.",
    "uitgelogd": "U bent uitgelogd.",
}


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    sessie: Optional[Sessie] = request.get("sessie")
    html = (
        request.app[JINJA]
        .get_template(template)
        .render(
            sessie=sessie,
            gebruiker=sessie.gebruiker if sessie else None,
            csrf=sessie.csrf if sessie else "",
            policy=request.app[POLICY],
            melding=MELDINGEN.get(request.query.get("melding", "")),
            **context,
        )
    )
    return web.Response(text=html, content_type="text/html", status=status, headers={"Cache-Control": "no-store"})


@web.middleware
async def auth_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith(OPEN) or not request.path.startswith("/review"):
        return await handler(request)
    sessie_id = request.cookies.get(COOKIE)
    sessie = request.app[ACCOUNTS].sessie(sessie_id) if sessie_id else None
    if sessie is None:
        raise web.HTTPSeeOther("/review/inloggen")
    request["sessie"] = sessie
    if request.method == "POST":
        form = await request.post()
        request["form"] = form
        token = str(form.get("csrf", ""))
        if not hmac.compare_digest(token, sessie.csrf):
            return render(
                request,
                "fout.html",
                status=403,
                fout="Dit formulier is verlopen of niet van deze site. Laad de pagina opnieuw en probeer het nog eens.",
            )
    return await handler(request)


# -- sign-in ------------------------------------------------------------------------------------


async def inloggen_form(request: web.Request) -> web.Response:
    return render(request, "inloggen.html")


async def inloggen(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    naam, wachtwoord = str(form.get("naam", "")).strip(), str(form.get("wachtwoord", ""))
    sessie_id, reden = request.app[ACCOUNTS].inloggen(naam, wachtwoord)
    if sessie_id is None:
        fout = (
            "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het over 15 minuten opnieuw."
            if reden == "geblokkeerd"
            else "Naam of wachtwoord klopt niet."
        )
        return render(request, "inloggen.html", status=401, fout=fout, naam=naam)
    response = web.HTTPSeeOther("/review")
    response.set_cookie(
        COOKIE,
        sessie_id,
        httponly=True,
        samesite="Strict",
        path="/",
        secure=request.app[CONFIG].secure_cookies,
        max_age=8 * 3600,
    )
    return response


async def uitloggen(request: web.Request) -> web.StreamResponse:
    request.app[ACCOUNTS].uitloggen(request.cookies.get(COOKIE, ""))
    response = web.HTTPSeeOther("/review/inloggen?melding=uitgelogd")
    response.del_cookie(COOKIE, path="/")
    return response


# -- queue and draft ------------------------------------------------------------------------------


def filters_uit(query: Any) -> Filters:
    return Filters(
        gemeente=query.get("gemeente") or None,
        status=query.get("status") or None,
        advies=query.get("advies") or None,
        signaal=query.get("signaal") or None,
        conversation_id=query.get("conversation_id") or None,
    )


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


async def wachtrij(request: web.Request) -> web.Response:
    gebruiker = request["sessie"].gebruiker
    filters = filters_uit(request.query)
    page = request.app[REVIEW].wachtrij(gebruiker, filters, page=_int(request.query.get("pagina"), 1))
    keep = {k: v for k, v in request.query.items() if k in ("gemeente", "status", "advies", "signaal") and v}
    return render(
        request,
        "wachtrij.html",
        page=page,
        filters=filters,
        query=keep,
        urlencode=urlencode,
        gemeenten=[g for g in request.app[POLICY].gemeenten if gebruiker.mag_zien(g)],
    )


def _concept_of_fout(request: web.Request) -> Any:
    try:
        return request.app[REVIEW].concept(request["sessie"].gebruiker, request.match_info["id"])
    except DraftNotFound:
        raise web.HTTPNotFound(text="Dit concept bestaat niet (meer).") from None
    except GeenToegang:
        raise web.HTTPForbidden(text="Dit concept hoort bij een gemeente waarvoor u niet werkt.") from None


def matrix(draft: Any) -> List[Dict[str, Any]]:
    """Rows of the afwegingskader matrix (zwaarte x type) with the intensities as columns."""
    rows = []
    for z in ZWAARTES:
        for t in TYPES:
            rows.append(
                {
                    "zwaarte": z,
                    "type": t,
                    "cellen": [
                        {"intensiteit": i, "gekozen": (draft.zwaarte, draft.type, draft.intensiteit) == (z, t, i)}
                        for i in INTENSITEITEN
                    ],
                }
            )
    return rows


async def concept(request: web.Request, fout: Optional[str] = None, status: int = 200) -> web.Response:
    draft = _concept_of_fout(request)
    return render(
        request,
        "concept.html",
        status=status,
        d=draft,
        fout=fout,
        matrix=matrix(draft),
        logboek=request.app[REVIEW].logboek(request["sessie"].gebruiker, draft.id),
        toon_transcript=request.query.get("transcript") == "1",
    )


async def _actie(request: web.Request, uitvoeren: Any, melding: str) -> web.StreamResponse:
    draft_id = request.match_info["id"]
    _concept_of_fout(request)
    form = request["form"]
    try:
        uitvoeren(request["sessie"].gebruiker, draft_id, _int(form.get("versie"), 0), form)
    except VersionConflict:
        return await concept(
            request,
            status=409,
            fout=(
                "Een collega heeft dit concept net veranderd. Uw wijziging is niet opgeslagen. "
                "Hieronder staat de nieuwste versie; bekijk die en probeer het opnieuw."
            ),
        )
    except (OngeldigeActie, ValidationError) as exc:
        return await concept(request, status=400, fout=_leesbaar(exc))
    raise web.HTTPSeeOther(f"/review/concepten/{draft_id}?melding={melding}")


def _leesbaar(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "Controleer de invoer: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc)


# status action -> (form field with the reason or question, message after success)
STATUSACTIES = {
    "nemen": ("", "genomen"),
    "goedkeuren": ("reden", "goedgekeurd"),
    "afwijzen": ("reden", "afgewezen"),
    "terugsturen": ("vraag", "teruggestuurd"),
}


def status_handler(actie: str) -> Any:
    veld, melding = STATUSACTIES[actie]

    async def handler(request: web.Request) -> web.StreamResponse:
        return await _actie(
            request,
            lambda g, i, v, f: request.app[REVIEW].status_actie(actie, g, i, v, str(f.get(veld, "")) if veld else ""),
            melding,
        )

    return handler


def wijziging_uit_formulier(form: Any, policy: Any) -> FeitenWijziging:
    codes = [c for c in policy.resultaatgebieden if form.get(f"gebied_{c}")]
    gebieden = [
        GebiedFeit(code=c, doel=str(form.get(f"doel_{c}", "")), type=form.get(f"type_{c}") or None) for c in codes
    ]
    leeftijd = str(form.get("leeftijd", "")).strip()
    duur = str(form.get("duur", "")).strip()
    return FeitenWijziging(
        gemeente=form.get("gemeente") or None,
        leeftijd=int(leeftijd) if leeftijd.isdigit() else None,
        resultaatgebieden=gebieden,
        prioriteit=form.get("prioriteit") or None,
        verzwarende_omstandigheden=[c for c in policy.verzwarende_omstandigheden if form.get(f"omst_{c}")],
        duur_verwachting_maanden=int(duur) if duur.isdigit() else None,
    )


async def wijzigen(request: web.Request) -> web.StreamResponse:
    def uitvoeren(g: Any, i: str, v: int, f: Any) -> Any:
        wijziging = wijziging_uit_formulier(f, request.app[POLICY])
        return request.app[REVIEW].wijzig(g, i, v, wijziging, str(f.get("waarom", "")))

    return await _actie(request, uitvoeren, "gewijzigd")


async def export(request: web.Request) -> web.Response:
    _concept_of_fout(request)
    try:
        data = request.app[REVIEW].export(request["sessie"].gebruiker, request.match_info["id"])
    except OngeldigeActie as exc:
        return await concept(request, status=400, fout=str(exc))
    return web.json_response(
        data, headers={"Content-Disposition": f'attachment; filename="indicatie-{request.match_info["id"]}.json"'}
    )


async def overzicht(request: web.Request) -> web.Response:
    gebruiker = request["sessie"].gebruiker
    return render(request, "overzicht.html", data=overzicht_data(request.app[REVIEW].cijfers(gebruiker)))
