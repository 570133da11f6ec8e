"""Consultant pages under /review: sign-in, queue, draft, edit, actions, overview.

Server-rendered, no JavaScript needed. Every POST carries the session's CSRF token; the sign-in form,
which has no session yet, carries a token that must match its own SameSite=Strict cookie, and a
request from another site (Origin, Sec-Fetch-Site) is refused. Everything the inwoner wrote reaches the
page through Jinja's autoescaping, never as HTML, and through `tekens.zichtbaar` (control characters).

Sign-in: rate-limited per address, and per name+address after failures (so a stranger cannot lock a
consultant out: only their own address is stopped); failures for one name from anywhere slow its
answers down instead of locking. Known and unknown names get the same answer after the same scrypt work,
which runs in the app's thread pool, never on the event loop.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from pydantic import ValidationError

from ..classificatie.model import Arrangement
from ..classificatie.policy import INTENSITEITEN, TYPES, ZWAARTES, Policy, Treden
from ..review import FeitenWijziging, GebiedFeit, GeenToegang, OngeldigeActie
from ..store import DraftNotFound, Filters, VersionConflict
from ..store.accounts import Sessie
from .config import ACCOUNTS, CONFIG, INLOG_POOL, INZET, JINJA, LIMIETEN, POLICY, REVIEW
from .limieten import adres_van, wacht_tekst
from .overzicht import overzicht_data
from .tekens import zichtbaar_json

COOKIE = "lekstroom_sessie"
INLOG_COOKIE = "lekstroom_inlog"  # the sign-in form's own CSRF token (double submit)
VERTRAGING_S = 2.0  # extra wait per attempt for a name with many failures from anywhere
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
        if not (token.isascii() and hmac.compare_digest(token, sessie.csrf)):
            return render(
                request,
                "fout.html",
                status=403,
                fout="Dit formulier is verlopen of niet van deze site. Laad de pagina opnieuw en probeer het nog eens.",
            )
    return await handler(request)


# -- sign-in ------------------------------------------------------------------------------------


def client_adres(request: web.Request) -> str:
    return adres_van(request.remote, request.headers.get("X-Forwarded-For"), request.app[CONFIG].vertrouwde_proxies)


def te_vaak(request: web.Request, wacht: int, tekst: str, json: bool = False) -> web.Response:
    """HTTP 429 with Retry-After and a friendly Dutch explanation."""
    bericht = f"{tekst} Probeer het {wacht_tekst(wacht)} opnieuw."
    if json:
        response = web.json_response({"fout": bericht}, status=429)
    else:
        response = render(request, "fout.html", status=429, fout=bericht)
    response.headers["Retry-After"] = str(wacht)
    return response


def _inlogformulier(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "inloggen.html", status=status, inlog_csrf=token, **context)
    response.set_cookie(
        INLOG_COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        path="/review/inloggen",
        secure=request.app[CONFIG].secure_cookies,
        max_age=3600,
    )
    return response


def _van_andere_site(request: web.Request, form: Any) -> bool:
    """A sign-in POST that did not come from our own form on our own site."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")  # "null" under our Referrer-Policy no-referrer: proves nothing
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        return True
    cookie, veld = request.cookies.get(INLOG_COOKIE, ""), str(form.get("inlog_csrf", ""))
    return not (cookie and veld.isascii() and cookie.isascii() and hmac.compare_digest(cookie, veld))


async def inloggen_form(request: web.Request) -> web.Response:
    return _inlogformulier(request)


async def inloggen(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    naam, wachtwoord = str(form.get("naam", "")).strip()[:64], str(form.get("wachtwoord", ""))[:1024]
    if _van_andere_site(request, form):
        fout = "Dit formulier is verlopen of niet van deze site. Vul uw naam en wachtwoord opnieuw in."
        return _inlogformulier(request, status=403, fout=fout, naam=naam)
    limieten, adres = request.app[LIMIETEN], client_adres(request)
    wacht = await limieten.raak("inloggen_adres", adres)
    if wacht is None:
        wacht = await limieten.stand("inloggen_account_adres", f"{naam.lower()}|{adres}")
    if wacht is not None:
        return te_vaak(request, wacht, "Er is te vaak geprobeerd in te loggen.")
    if await limieten.stand("inloggen_account", naam.lower()) is not None:
        await asyncio.sleep(VERTRAGING_S)  # slowed down, not locked: the real consultant still gets in
    loop = asyncio.get_running_loop()
    sessie_id = await loop.run_in_executor(request.app[INLOG_POOL], request.app[ACCOUNTS].inloggen, naam, wachtwoord)
    if sessie_id is None:
        await limieten.raak("inloggen_account_adres", f"{naam.lower()}|{adres}")
        await limieten.raak("inloggen_account", naam.lower())
        return _inlogformulier(request, status=401, fout="Naam of wachtwoord klopt niet.", naam=naam)
    await limieten.wis("inloggen_account_adres", f"{naam.lower()}|{adres}")
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
    response.del_cookie(INLOG_COOKIE, path="/review/inloggen")
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


def treden_tabel(draft: Any, policy: Policy) -> Dict[str, Any]:
    """The region's treden table: a row per leefgebied of its file, a column per trede; the cells
    within the leefgebied's range are open, the chosen trede is marked; with segment and areas."""
    regels = policy.afweging
    if not isinstance(regels, Treden) or not isinstance(draft.afweging, Arrangement):
        return {"kolommen": [], "rijen": []}
    kolommen = list(range(1, max(lg.hoogste for lg in regels.leefgebieden.values()) + 1))
    gekozen = {t.code: t for t in draft.afweging.leefgebieden}
    rijen = []
    for code, lg in regels.leefgebieden.items():
        t = gekozen.get(code)
        rijen.append(
            {
                "naam": lg.naam,
                "segment": t.segment_naam if t else "",
                "gebieden": [policy.resultaatgebieden[g].naam for g in t.gebieden] if t else [],
                "cellen": [
                    {"trede": n, "in_bereik": lg.laagste <= n <= lg.hoogste, "gekozen": t is not None and t.trede == n}
                    for n in kolommen
                ],
            }
        )
    return {"kolommen": kolommen, "rijen": rijen}


async def concept(request: web.Request, fout: Optional[str] = None, status: int = 200) -> web.Response:
    draft = _concept_of_fout(request)
    regio = request.app[INZET].policy_voor(draft.gemeente)
    return render(
        request,
        "concept.html",
        status=status,
        d=draft,
        fout=fout,
        # the region's own picture; a Lekstroom draft without a cell (no maatwerk) shows the empty matrix
        soort=draft.afweging.soort if draft.afweging else ("telling" if regio.afweging.soort == "telling" else None),
        regio=regio,
        treden=treden_tabel(draft, regio),
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
        zichtbaar_json(data),
        headers={"Content-Disposition": f'attachment; filename="indicatie-{request.match_info["id"]}.json"'},
    )


async def overzicht(request: web.Request) -> web.Response:
    gebruiker = request["sessie"].gebruiker
    return render(request, "overzicht.html", data=overzicht_data(request.app[REVIEW].cijfers(gebruiker)))
