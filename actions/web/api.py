"""JSON API under /api with bearer tokens (made by `lekstroom token maken`). Same authorisation and
rules as the pages, because both call ReviewService. The OpenAPI description is at /api/openapi.json.

Rate-limited per address and per account (HTTP 429 with Retry-After). Tokens expire (`token_dagen`)
and can be revoked (`lekstroom token intrekken`). Every string in an answer goes through
`tekens.zichtbaar_json`: control and bidi-override characters arrive as visible marks."""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

from aiohttp import web
from pydantic import ValidationError

from ..classificatie.model import Draft
from ..review import FeitenWijziging, GeenToegang, OngeldigeActie, json_draft
from ..store import DraftNotFound, VersionConflict
from ..store.accounts import Gebruiker
from .config import ACCOUNTS, LIMIETEN, REVIEW
from .tekens import zichtbaar_json
from .views import _int, client_adres, filters_uit, te_vaak

TE_VAAK = "U doet te veel verzoeken achter elkaar."


def fout(status: int, bericht: str) -> web.Response:
    return web.json_response({"fout": bericht}, status=status)


def _json(data: Any) -> web.Response:
    return web.json_response(zichtbaar_json(data))


def gebruiker_van(request: web.Request) -> Optional[Gebruiker]:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return request.app[ACCOUNTS].gebruiker_van_token(header[7:].strip())


def beveiligd(handler: Callable) -> Callable:
    async def wrapper(request: web.Request) -> web.Response:
        wacht = await request.app[LIMIETEN].raak("api_adres", client_adres(request))
        if wacht is not None:
            return te_vaak(request, wacht, TE_VAAK, json=True)
        gebruiker = gebruiker_van(request)
        if gebruiker is not None:
            wacht = await request.app[LIMIETEN].raak("api_gebruiker", gebruiker.naam)
            if wacht is not None:
                return te_vaak(request, wacht, TE_VAAK, json=True)
        if gebruiker is None:
            return web.json_response(
                {
                    "fout": "Geen geldig token (of het is verlopen of ingetrokken). Gebruik 'Authorization: Bearer <token>'."
                },
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            return await handler(request, gebruiker)
        except DraftNotFound:
            return fout(404, "Dit concept bestaat niet.")
        except GeenToegang:
            return fout(403, "Dit concept hoort bij een gemeente waarvoor u niet werkt.")
        except VersionConflict as exc:
            return fout(409, f"Het concept is intussen veranderd (versie {exc.actual}). Haal het opnieuw op.")
        except (OngeldigeActie, ValidationError) as exc:
            return fout(400, str(exc))

    return wrapper


async def _body(request: web.Request) -> dict:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise OngeldigeActie("De body is geen geldige JSON.") from None
    if not isinstance(body, dict):
        raise OngeldigeActie("Verwacht een JSON-object.")
    return body


@beveiligd
async def lijst(request: web.Request, gebruiker: Gebruiker) -> web.Response:
    per_page = min(max(_int(request.query.get("per_page"), 25), 1), 200)
    page = request.app[REVIEW].wachtrij(
        gebruiker, filters_uit(request.query), page=_int(request.query.get("page"), 1), per_page=per_page
    )
    return _json(
        {
            "items": [json_draft(d, transcript=False) for d in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }
    )


@beveiligd
async def een(request: web.Request, gebruiker: Gebruiker) -> web.Response:
    return _json(json_draft(request.app[REVIEW].concept(gebruiker, request.match_info["id"])))


@beveiligd
async def wijzig(request: web.Request, gebruiker: Gebruiker) -> web.Response:
    body = await _body(request)
    versie = body.pop("versie", None)
    waarom = str(body.pop("waarom", ""))
    if not isinstance(versie, int):
        raise OngeldigeActie("Geef 'versie' mee: de versie van het concept dat u wijzigt.")
    draft = request.app[REVIEW].wijzig(
        gebruiker, request.match_info["id"], versie, FeitenWijziging.parse_obj(body), waarom
    )
    return _json(json_draft(draft))


API_ACTIES = {"approve": "goedkeuren", "reject": "afwijzen", "return": "terugsturen"}


def status_handler(naam: str, veld: str = "reden") -> Callable:
    @beveiligd
    async def handler(request: web.Request, gebruiker: Gebruiker) -> web.Response:
        body = await _body(request)
        versie = body.get("versie")
        if not isinstance(versie, int):
            raise OngeldigeActie("Geef 'versie' mee: de versie van het concept.")
        draft = request.app[REVIEW].status_actie(
            API_ACTIES[naam], gebruiker, request.match_info["id"], versie, str(body.get(veld, ""))
        )
        return _json(json_draft(draft))

    return handler


def _schemas() -> dict[str, Any]:
    schema = Draft.schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("definitions", {}), "Draft": schema}


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Lekstroom Wmo-intake: concepten",
        "version": "1.0.0",
        "description": "Conceptindicaties uit de intake-assistent, voor consulenten van het sociaal team.",
    },
    # The draft as the API returns it, from the same pydantic models as the code: the region's own
    # result (`afweging`: a matrix cell, an arrangement or a product on criteria, by `soort`), the
    # sources of every rule (`bronnen`) and the policy version with its `geldig_vanaf`.
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": _schemas()},
    "security": [{"bearer": []}],
    "paths": {
        "/api/drafts": {
            "get": {
                "summary": "Wachtrij: urgent eerst, dan oudste",
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in ("gemeente", "status", "advies", "signaal", "conversation_id", "page", "per_page")
                ],
                "responses": {
                    "200": {"description": "{items: [...], total, page, per_page, pages}"},
                    "401": {"description": "geen geldig token"},
                },
            }
        },
        "/api/drafts/{id}": {
            "get": {
                "summary": "Eén concept",
                "responses": {
                    "200": {
                        "description": "concept",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draft"}}},
                    },
                    "403": {"description": "andere gemeente"},
                    "404": {"description": "bestaat niet"},
                },
            },
            "patch": {
                "summary": "Feiten wijzigen; het concept wordt opnieuw ingedeeld",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["versie", "waarom"],
                                "properties": {
                                    "versie": {"type": "integer"},
                                    "waarom": {"type": "string"},
                                    "gemeente": {"type": "string"},
                                    "leeftijd": {"type": "integer"},
                                    "prioriteit": {"type": "string"},
                                    "resultaatgebieden": {"type": "array", "items": {"type": "object"}},
                                    "verzwarende_omstandigheden": {"type": "array", "items": {"type": "string"}},
                                    "duur_verwachting_maanden": {"type": "integer"},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "gewijzigd concept"}, "409": {"description": "versieconflict"}},
            },
        },
        **{
            f"/api/drafts/{{id}}/{a}": {
                "post": {
                    "summary": s,
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["versie"],
                                    "properties": {"versie": {"type": "integer"}, f: {"type": "string"}},
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {"description": "concept"},
                        "400": {"description": "ongeldig"},
                        "409": {"description": "versieconflict"},
                    },
                }
            }
            for a, s, f in (
                ("approve", "Goedkeuren", "reden"),
                ("reject", "Afwijzen (reden verplicht)", "reden"),
                ("return", "Terugsturen (vraag verplicht)", "reden"),
            )
        },
        **{
            f"/api/stats/{naam}": {
                "get": {
                    "summary": samenvatting,
                    "description": uitleg,
                    "parameters": [
                        {"name": "van", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "tot", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "gemeente", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {"description": antwoord},
                        "400": {"description": "ongeldige datum of gemeente"},
                        "401": {"description": "geen geldig token"},
                        "403": {"description": "gemeente waarvoor u niet werkt"},
                    },
                }
            }
            for naam, samenvatting, uitleg, antwoord in (
                (
                    "funnel",
                    "Trechter per vraag, uitkomsten en intaketijd",
                    "Alleen codes en aantallen, nooit tekst van de inwoner. Alleen de gemeenten van de gebruiker.",
                    "{bereik, stilte_minuten, gesprekken, vragen: [{stap, bereikt, beantwoord, beantwoord_met_knop, "
                    "niet_begrepen, niet_begrepen_gesprekken, niet_begrepen_percentage, opnieuw_gevraagd, "
                    "onderbrekingen, mediaan_seconden}], uitkomsten, intaketijd: {aantal, mediaan_minuten, p90_minuten}}",
                ),
                (
                    "agreement",
                    "Overeenstemming van consulenten per feit en per week",
                    "Per feit hoe vaak de consulent bij het besluit hield wat de assistent vastlegde.",
                    "{bereik, besluiten, feiten: [{feit, besluiten, gelijk, percentage, in_correcties_export}], "
                    "per_week: [{week, feiten}], correcties_export}",
                ),
            )
        },
    },
}


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)
