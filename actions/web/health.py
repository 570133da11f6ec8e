"""/health: the policy and model the app runs with, for monitoring and the test helpers."""

from __future__ import annotations

from aiohttp import web

from ..nlp.modelbeheer import read_meta
from .config import POLICY


async def health(request: web.Request) -> web.Response:
    meta = read_meta()
    policy = request.app[POLICY]
    return web.json_response(
        {
            "status": "ok",
            "policy": {"naam": policy.naam, "versie": policy.versie},
            "model": {k: meta.get(k) for k in ("model", "data_hash", "getraind_op", "evaluatie")} if meta else None,
        }
    )
