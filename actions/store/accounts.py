"""Consultant accounts, server-side sessions and API tokens for the review app.

Passwords are hashed with scrypt (a memory-hard KDF from the standard library); the web app runs
`inloggen` in a thread, never on its event loop. Failed sign-ins are not counted here: the web app's
rate limits do that per account+address (actions/web/limieten.py), so nobody can lock someone else
out. Session ids and API tokens are random; only their SHA-256 is stored. An API token is valid for
`token_dagen` days after it was made and can be revoked (`lekstroom token intrekken`). Called by the
web app and by `lekstroom gebruiker|token`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from .schema import api_tokens, gebruikers, sessies

ROLLEN = ("consultant", "admin")
TOKENDUUR_DAGEN = 90
SESSIEDUUR = timedelta(hours=8)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class AccountError(ValueError):
    """A mistake in an account command; the message says what to do."""


@dataclass(frozen=True)
class Gebruiker:
    naam: str
    rol: str
    gemeenten: Tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.rol == "admin"

    def mag_zien(self, gemeente: Optional[str]) -> bool:
        return self.is_admin or (gemeente is not None and gemeente in self.gemeenten)

    def zichtbare_gemeenten(self) -> Optional[List[str]]:
        """None means all (admin)."""
        return None if self.is_admin else list(self.gemeenten)


@dataclass(frozen=True)
class TokenInfo:
    gebruiker: str
    omschrijving: str
    aangemaakt: datetime
    verloopt: datetime


@dataclass(frozen=True)
class Sessie:
    gebruiker: Gebruiker
    csrf: str


def hash_wachtwoord(wachtwoord: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(wachtwoord.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def controleer_wachtwoord(wachtwoord: str, opgeslagen: str) -> bool:
    try:
        _, n, r, p, salt, digest = opgeslagen.split("$")
        kandidaat = hashlib.scrypt(
            wachtwoord.encode(), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(kandidaat.hex(), digest)


# A stored-hash look-alike for unknown names: checking against it costs one scrypt, like a real check.
_SCHIJNHASH = hash_wachtwoord(secrets.token_urlsafe(16))


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: Optional[datetime]) -> Optional[datetime]:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


class AccountStore:
    def __init__(self, engine: Engine, token_dagen: int = TOKENDUUR_DAGEN):
        self.engine = engine
        self.tokenduur = timedelta(days=token_dagen)

    def maak_gebruiker(self, naam: str, rol: str, gemeenten: List[str], wachtwoord: str) -> Gebruiker:
        if rol not in ROLLEN:
            raise AccountError(f"Onbekende rol '{rol}': kies {' of '.join(ROLLEN)}.")
        if rol == "consultant" and not gemeenten:
            raise AccountError("Een consulent werkt voor minstens één gemeente: geef --gemeente op.")
        if len(wachtwoord) < 12:
            raise AccountError("Kies een wachtwoord van minstens 12 tekens.")
        with self.engine.begin() as conn:
            if conn.execute(select(gebruikers.c.naam).where(gebruikers.c.naam == naam)).first():
                raise AccountError(f"Er bestaat al een gebruiker '{naam}'.")
            conn.execute(
                insert(gebruikers).values(
                    naam=naam,
                    rol=rol,
                    gemeenten=list(gemeenten),
                    wachtwoord_hash=hash_wachtwoord(wachtwoord),
                    mislukte_pogingen=0,
                    geblokkeerd_tot=None,
                    aangemaakt=_now(),
                )
            )
        return Gebruiker(naam, rol, tuple(gemeenten))

    def gebruiker(self, naam: str) -> Optional[Gebruiker]:
        with self.engine.connect() as conn:
            row = conn.execute(select(gebruikers).where(gebruikers.c.naam == naam)).first()
        return None if row is None else Gebruiker(row.naam, row.rol, tuple(row.gemeenten))

    def inloggen(self, naam: str, wachtwoord: str) -> Optional[str]:
        """A new session id, or None when name or password is wrong. Does the same scrypt work for an
        unknown name as for a known one, so neither the answer nor its timing tells them apart."""
        with self.engine.connect() as conn:
            row = conn.execute(select(gebruikers.c.wachtwoord_hash).where(gebruikers.c.naam == naam)).first()
        if row is None:
            controleer_wachtwoord(wachtwoord, _SCHIJNHASH)
            return None
        if not controleer_wachtwoord(wachtwoord, row.wachtwoord_hash):
            return None
        now = _now()
        sessie_id = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(delete(sessies).where(sessies.c.verloopt < now))
            conn.execute(
                insert(sessies).values(
                    id_hash=_sha(sessie_id),
                    gebruiker=naam,
                    csrf=secrets.token_urlsafe(32),
                    verloopt=now + SESSIEDUUR,
                )
            )
        return sessie_id

    def sessie(self, sessie_id: str) -> Optional[Sessie]:
        with self.engine.connect() as conn:
            row = conn.execute(select(sessies).where(sessies.c.id_hash == _sha(sessie_id))).first()
        if row is None or _aware(row.verloopt) < _now():
            return None
        gebruiker = self.gebruiker(row.gebruiker)
        return None if gebruiker is None else Sessie(gebruiker, row.csrf)

    def uitloggen(self, sessie_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessies).where(sessies.c.id_hash == _sha(sessie_id)))

    def maak_token(self, naam: str, omschrijving: str = "") -> str:
        if self.gebruiker(naam) is None:
            raise AccountError(f"Geen gebruiker '{naam}'. Maak die eerst met 'lekstroom gebruiker maken'.")
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_tokens).values(
                    token_hash=_sha(token),
                    gebruiker=naam,
                    omschrijving=omschrijving or "api",
                    aangemaakt=_now(),
                )
            )
        return token

    def gebruiker_van_token(self, token: str) -> Optional[Gebruiker]:
        """The token's account, or None when the token is unknown, revoked or expired."""
        with self.engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(api_tokens.c.token_hash == _sha(token))).first()
        if row is None or _aware(row.aangemaakt) + self.tokenduur <= _now():  # type: ignore[operator]
            return None
        return self.gebruiker(row.gebruiker)

    def tokens(self, naam: Optional[str] = None) -> List[TokenInfo]:
        """Every token (of one account), oldest first, with its expiry; never the token itself."""
        query = select(api_tokens).order_by(api_tokens.c.aangemaakt)
        if naam is not None:
            query = query.where(api_tokens.c.gebruiker == naam)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            TokenInfo(r.gebruiker, r.omschrijving, _aware(r.aangemaakt), _aware(r.aangemaakt) + self.tokenduur)  # type: ignore[arg-type,operator]
            for r in rows
        ]

    def trek_tokens_in(self, naam: str, omschrijving: Optional[str] = None) -> int:
        """Revoke (delete) the tokens of an account, or only those with this description. Returns how many."""
        query = delete(api_tokens).where(api_tokens.c.gebruiker == naam)
        if omschrijving is not None:
            query = query.where(api_tokens.c.omschrijving == omschrijving)
        with self.engine.begin() as conn:
            return int(conn.execute(query).rowcount or 0)

    def trek_token_in(self, token: str) -> bool:
        """Revoke one token by its value."""
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(api_tokens).where(api_tokens.c.token_hash == _sha(token))).rowcount)
