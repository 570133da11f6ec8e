"""Every route of the web app, in one table. To add a page or endpoint: write the handler, add a line here."""

from __future__ import annotations

from typing import List

from aiohttp import web

from . import analyse, api, chat, views
from .config import WEB
from .health import health


def route_table() -> List[web.AbstractRouteDef]:
    vendor = WEB / "node_modules" / "@utrecht"
    return [
        # the inwoner's web chat and its relay to Rasa
        web.get("/", chat.chat_pagina),
        web.get("/insluiten", chat.insluiten),
        web.post("/chat/bericht", chat.bericht),
        # consultant pages
        web.get("/review/inloggen", views.inloggen_form),
        web.post("/review/inloggen", views.inloggen),
        web.post("/review/uitloggen", views.uitloggen),
        web.get("/review", views.wachtrij),
        web.get("/review/overzicht", views.overzicht),
        web.get("/review/analyse", analyse.pagina),
        web.get("/review/analyse.csv", analyse.csv_download),
        web.get("/review/concepten/{id}", views.concept),
        web.post("/review/concepten/{id}/wijzigen", views.wijzigen),
        *(web.post(f"/review/concepten/{{id}}/{actie}", views.status_handler(actie)) for actie in views.STATUSACTIES),
        web.get("/review/concepten/{id}/export.json", views.export),
        # JSON API (bearer tokens)
        web.get("/api/openapi.json", api.openapi),
        web.get("/api/drafts", api.lijst),
        web.get("/api/drafts/{id}", api.een),
        web.patch("/api/drafts/{id}", api.wijzig),
        *(web.post(f"/api/drafts/{{id}}/{naam}", api.status_handler(naam)) for naam in api.API_ACTIES),
        web.get("/api/stats/funnel", analyse.api_funnel),
        web.get("/api/stats/agreement", analyse.api_agreement),
        # monitoring
        web.get("/health", health),
        # static files; the vendor prefix before /static/, which would otherwise answer its paths with 404
        *([web.static("/static/vendor/utrecht/", vendor)] if vendor.exists() else []),
        web.static("/static/", WEB / "static"),
    ]


def setup_routes(app: web.Application) -> None:
    app.router.add_routes(route_table())
