"""The draft queue: durable storage of draft indications, transcripts and the audit log.

`DraftStore` owns connections and transactions and hands out `Draft` objects, never rows. Every text
is BSN-masked before it is written. Callers: the custom actions (submit, delete), the review app
(list, change, approve), and the retention command.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Optional, Sequence

from sqlalchemy import and_, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, create_engine

from ..classificatie.model import Bericht, Draft, Intake
from ..privacy import mask_tree
from .schema import audit_log, draft_signalen, drafts, transcripts

DEFAULT_URL = "sqlite:///var/lekstroom.db"
_COLUMNS_IN_ROW = (
    "id",
    "conversation_id",
    "created_at",
    "updated_at",
    "status",
    "urgent",
    "versie",
    "toegewezen_aan",
    "vorige_id",
)


class VersionConflict(RuntimeError):
    """Someone else changed the draft after it was opened; nothing was written."""

    def __init__(self, draft_id: str, expected: int, actual: int):
        super().__init__(f"draft {draft_id}: versie {expected} verwacht, {actual} gevonden")
        self.expected = expected
        self.actual = actual


class DraftNotFound(KeyError):
    pass


@dataclass
class AuditEntry:
    tijd: datetime
    wie: str
    actie: str
    wijzigingen: Dict[str, Any]
    waarom: str


@dataclass
class Filters:
    gemeenten: Sequence[str] | None = None  # None = all (admin); [] = none
    gemeente: str | None = None
    status: str | None = None
    advies: str | None = None
    signaal: str | None = None  # "code" or "code:waarde"
    conversation_id: str | None = None


@dataclass
class Cijfers:
    """Counts for the team overview, over the drafts of the given gemeenten."""

    per_week: List[tuple]  # (iso week "2024-W07", count), oldest first
    per_gemeente: List[tuple]  # (label, count), most first
    per_product: List[tuple]
    per_advies: List[tuple]
    beslisuren: List[float]  # hours from submission to the first approval or rejection, per decided draft


@dataclass
class Page:
    items: List[Draft]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs (SQLite: WAL, foreign keys, busy timeout)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class DraftStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def from_url(cls, url: str = DEFAULT_URL, migrate: bool = True) -> DraftStore:
        if migrate:
            from .migrate import upgrade

            upgrade(url)
        return cls(make_engine(url))

    # -- writing ---------------------------------------------------------------------------------

    def submit(self, draft: Draft, wie: str = "assistent", intake: Optional[Intake] = None) -> Draft:
        """Store the draft of a conversation: insert it, or update the conversation's open draft.

        A draft is open while its status is `nieuw`: nobody has taken it up yet. Once a consultant has
        handled it, the assistant never changes it again; a new intake from the same conversation then
        becomes a new draft with `vorige_id` pointing at the earlier one. The same confirmation sent
        twice, or on two Rasa servers at once, updates the one open draft (a partial unique index
        guards that) instead of adding a second.
        """
        data = mask_tree(draft.dict(exclude={"transcript", *(_COLUMNS_IN_ROW)}))
        data = _jsonable(data)
        berichten = _jsonable(mask_tree([b.dict() for b in draft.transcript]))
        now = _now()
        with self.engine.begin() as conn:
            vorige = conn.execute(
                select(drafts.c.id)
                .where(and_(drafts.c.conversation_id == draft.conversation_id, drafts.c.status != "nieuw"))
                .order_by(drafts.c.created_at.desc(), drafts.c.id)
                .limit(1)
            ).scalar()
            values = dict(
                id=str(uuid.uuid4()),
                conversation_id=draft.conversation_id,
                created_at=now,
                updated_at=now,
                status="nieuw",
                urgent=draft.urgent,
                gemeente=draft.gemeente,
                advies=draft.advies,
                product_code=draft.product.code if draft.product else None,
                versie=1,
                data=data,
                intake=_intake_json(intake),
                vorige_id=vorige,
            )
            insert = _insert_for(conn)(drafts).values(**values)
            upsert = insert.on_conflict_do_update(
                index_elements=[drafts.c.conversation_id],
                index_where=drafts.c.status == "nieuw",
                set_=dict(
                    updated_at=now,
                    urgent=insert.excluded.urgent,
                    gemeente=insert.excluded.gemeente,
                    advies=insert.excluded.advies,
                    product_code=insert.excluded.product_code,
                    data=insert.excluded.data,
                    intake=insert.excluded.intake,
                    versie=drafts.c.versie + 1,
                ),
            )
            conn.execute(upsert)
            row = conn.execute(
                select(drafts.c.id, drafts.c.versie, drafts.c.vorige_id).where(
                    and_(drafts.c.conversation_id == draft.conversation_id, drafts.c.status == "nieuw")
                )
            ).one()
            self._write_signalen(conn, row.id, draft)
            self._write_transcript(conn, row.id, berichten, now)
            if row.versie > 1:
                actie = "opnieuw_ingediend"
            else:
                actie = "nieuw_na_besluit" if row.vorige_id else "ingediend"
            self._audit(
                conn,
                row.id,
                wie,
                actie,
                {
                    "advies": draft.advies,
                    "product": values["product_code"],
                    "urgent": draft.urgent,
                    **({"vorige": row.vorige_id} if row.vorige_id else {}),
                },
                "",
            )
            return self._load(conn, row.id)

    def save_review(
        self,
        draft: Draft,
        wie: str,
        actie: str,
        wijzigingen: Dict[str, Any],
        waarom: str,
        expected_version: int,
        intake: Optional[Intake] = None,
    ) -> Draft:
        """Write a consultant's change if nobody changed the draft since `expected_version`."""
        if draft.id is None:
            raise DraftNotFound("draft zonder id")
        data = _jsonable(mask_tree(draft.dict(exclude={"transcript", *(_COLUMNS_IN_ROW)})))
        with self.engine.begin() as conn:
            result = conn.execute(
                update(drafts)
                .where(and_(drafts.c.id == draft.id, drafts.c.versie == expected_version))
                .values(
                    updated_at=_now(),
                    status=draft.status,
                    urgent=draft.urgent,
                    gemeente=draft.gemeente,
                    advies=draft.advies,
                    product_code=draft.product.code if draft.product else None,
                    toegewezen_aan=draft.toegewezen_aan,
                    versie=drafts.c.versie + 1,
                    data=data,
                    **({"intake": _intake_json(intake)} if intake is not None else {}),
                )
            )
            if result.rowcount != 1:
                actual = conn.execute(select(drafts.c.versie).where(drafts.c.id == draft.id)).scalar()
                if actual is None:
                    raise DraftNotFound(draft.id)
                raise VersionConflict(draft.id, expected_version, actual)
            self._write_signalen(conn, draft.id, draft)
            self._audit(conn, draft.id, wie, actie, _jsonable(mask_tree(wijzigingen)), mask_tree(waarom))
            return self._load(conn, draft.id)

    def delete_conversation(self, conversation_id: str) -> bool:
        """Remove every trace of a conversation: its drafts, transcripts, signals and audit entries."""
        with self.engine.begin() as conn:
            ids = conn.execute(select(drafts.c.id).where(drafts.c.conversation_id == conversation_id)).scalars().all()
            if not ids:
                return False
            for table in (draft_signalen, transcripts):
                conn.execute(delete(table).where(table.c.draft_id.in_(ids)))
            conn.execute(delete(audit_log).where(audit_log.c.draft_id.in_(ids)))
            conn.execute(delete(drafts).where(drafts.c.id.in_(ids)))
            # Keep that a deletion happened, without anything that links it to the person.
            self._audit(conn, None, "inwoner", "gesprek_verwijderd", {}, "verwijderd op verzoek van de inwoner")
            return True

    def purge_transcripts(self, older_than_days: int, now: datetime | None = None) -> int:
        """Delete transcripts older than the retention period; return how many were deleted."""
        cutoff = (now or _now()) - timedelta(days=older_than_days)
        with self.engine.begin() as conn:
            result = conn.execute(delete(transcripts).where(transcripts.c.created_at < cutoff))
            if result.rowcount:
                self._audit(
                    conn,
                    None,
                    "systeem",
                    "bewaartermijn",
                    {"transcripten": result.rowcount},
                    f"ouder dan {older_than_days} dagen",
                )
            return result.rowcount

    # -- reading ---------------------------------------------------------------------------------

    def get(self, draft_id: str) -> Draft:
        with self.engine.connect() as conn:
            return self._load(conn, draft_id)

    def get_intake(self, draft_id: str) -> Optional[Intake]:
        """The intake a draft was classified from (transcript not included)."""
        with self.engine.connect() as conn:
            raw = conn.execute(select(drafts.c.intake).where(drafts.c.id == draft_id)).scalar()
        return None if raw is None else Intake.parse_obj(raw)

    def get_by_conversation(self, conversation_id: str) -> Draft | None:
        """The conversation's latest draft (a conversation has more than one after a decision)."""
        with self.engine.connect() as conn:
            draft_id = conn.execute(
                select(drafts.c.id)
                .where(drafts.c.conversation_id == conversation_id)
                .order_by(drafts.c.created_at.desc(), drafts.c.id)
                .limit(1)
            ).scalar()
            return None if draft_id is None else self._load(conn, draft_id)

    def list(self, filters: Optional[Filters] = None, page: int = 1, per_page: int = 25) -> Page:
        """The queue: urgent first, then oldest; filtered; one page of it."""
        filters = filters or Filters()
        page = max(1, page)
        per_page = min(max(1, per_page), 200)
        conditions = []
        if filters.gemeenten is not None:
            conditions.append(drafts.c.gemeente.in_(list(filters.gemeenten)))
        for column, value in (
            (drafts.c.gemeente, filters.gemeente),
            (drafts.c.status, filters.status),
            (drafts.c.advies, filters.advies),
            (drafts.c.conversation_id, filters.conversation_id),
        ):
            if value:
                conditions.append(column == value)
        if filters.signaal:
            # IN (ids from the signal index) lets both SQLite and PostgreSQL start from the few matches
            code, _, waarde = filters.signaal.partition(":")
            sig = select(draft_signalen.c.draft_id).where(draft_signalen.c.code == code)
            if waarde:
                sig = sig.where(draft_signalen.c.waarde == waarde)
            conditions.append(drafts.c.id.in_(sig))
        where = and_(*conditions) if conditions else None
        with self.engine.connect() as conn:
            count = select(func.count()).select_from(drafts)
            query = select(drafts.c.id).order_by(drafts.c.urgent.desc(), drafts.c.created_at, drafts.c.id)
            if where is not None:
                count = count.where(where)
                query = query.where(where)
            total = conn.execute(count).scalar() or 0
            ids = conn.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
            items = self._load_many(conn, ids, with_transcript=False)
        return Page(items=items, total=total, page=page, per_page=per_page)

    def audit(self, draft_id: str | None) -> List[AuditEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(audit_log)
                .where(audit_log.c.draft_id == draft_id if draft_id else audit_log.c.draft_id.is_(None))
                .order_by(audit_log.c.id)
            ).all()
        return [AuditEntry(_aware(r.tijd), r.wie, r.actie, r.wijzigingen, r.waarom) for r in rows]

    def cijfers(self, gemeenten: Sequence[str] | None = None) -> Cijfers:
        """Figures for the team overview; `gemeenten` None = all (admin), [] = none."""
        where = drafts.c.gemeente.in_(list(gemeenten)) if gemeenten is not None else None

        def gefilterd(q: Any) -> Any:
            return q if where is None else q.where(where)

        def gegroepeerd(conn: Connection, column: Any) -> List[tuple]:
            q = gefilterd(select(column, func.count()).group_by(column).order_by(func.count().desc()))
            return [(str(k) if k is not None else "onbekend", n) for k, n in conn.execute(q)]

        besloten = gefilterd(
            select(drafts.c.created_at, func.min(audit_log.c.tijd))
            .join(
                audit_log,
                and_(audit_log.c.draft_id == drafts.c.id, audit_log.c.actie.in_(("goedgekeurd", "afgewezen"))),
            )
            .group_by(drafts.c.id, drafts.c.created_at)
        )
        with self.engine.connect() as conn:
            weken: Dict[str, int] = {}
            for (created,) in conn.execute(gefilterd(select(drafts.c.created_at))):
                year, week, _ = created.isocalendar()
                key = f"{year}-W{week:02d}"
                weken[key] = weken.get(key, 0) + 1
            uren = [(_aware(tijd) - _aware(created)).total_seconds() / 3600 for created, tijd in conn.execute(besloten)]
            return Cijfers(
                per_week=sorted(weken.items()),
                per_gemeente=gegroepeerd(conn, drafts.c.gemeente),
                per_product=gegroepeerd(conn, drafts.c.product_code),
                per_advies=gegroepeerd(conn, drafts.c.advies),
                beslisuren=uren,
            )

    def iter_all(self, batch: int = 500) -> Iterator[Draft]:
        """Every draft, oldest first, for exports and the retraining workflow."""
        offset = 0
        while True:
            with self.engine.connect() as conn:
                ids = (
                    conn.execute(
                        select(drafts.c.id).order_by(drafts.c.created_at, drafts.c.id).limit(batch).offset(offset)
                    )
                    .scalars()
                    .all()
                )
                yield from self._load_many(conn, ids, with_transcript=True)
            if len(ids) < batch:
                return
            offset += batch

    # -- helpers ---------------------------------------------------------------------------------

    def _load(self, conn: Connection, draft_id: str, with_transcript: bool = True) -> Draft:
        row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).one_or_none()
        if row is None:
            raise DraftNotFound(draft_id)
        berichten: List[Bericht] = []
        if with_transcript:
            raw = conn.execute(select(transcripts.c.berichten).where(transcripts.c.draft_id == draft_id)).scalar()
            berichten = [Bericht.parse_obj(b) for b in (raw or [])]
        return _draft_from_row(row, berichten)

    @staticmethod
    def _load_many(conn: Connection, ids: Sequence[str], with_transcript: bool) -> List[Draft]:
        """Several drafts in two queries (rows, transcripts), in the order of `ids`."""
        rows = {r.id: r for r in conn.execute(select(drafts).where(drafts.c.id.in_(list(ids))))}
        berichten: Dict[str, list] = {}
        if with_transcript:
            query = select(transcripts.c.draft_id, transcripts.c.berichten).where(transcripts.c.draft_id.in_(list(ids)))
            berichten = {draft_id: raw or [] for draft_id, raw in conn.execute(query)}
        return [
            _draft_from_row(rows[i], [Bericht.parse_obj(b) for b in berichten.get(i, [])]) for i in ids if i in rows
        ]

    @staticmethod
    def _write_signalen(conn: Connection, draft_id: str, draft: Draft) -> None:
        conn.execute(delete(draft_signalen).where(draft_signalen.c.draft_id == draft_id))
        unique = {(s.code, s.waarde or "") for s in draft.signalen}
        if unique:
            conn.execute(
                draft_signalen.insert(),
                [{"draft_id": draft_id, "code": c, "waarde": w} for c, w in sorted(unique)],
            )

    @staticmethod
    def _write_transcript(conn: Connection, draft_id: str, berichten: list, now: datetime) -> None:
        insert = _insert_for(conn)(transcripts).values(draft_id=draft_id, created_at=now, berichten=berichten)
        conn.execute(
            insert.on_conflict_do_update(index_elements=[transcripts.c.draft_id], set_={"berichten": berichten})
        )

    @staticmethod
    def _audit(
        conn: Connection, draft_id: str | None, wie: str, actie: str, wijzigingen: Dict[str, Any], waarom: str
    ) -> None:
        conn.execute(
            audit_log.insert().values(
                draft_id=draft_id, tijd=_now(), wie=wie, actie=actie, wijzigingen=wijzigingen, waarom=waarom
            )
        )


def _insert_for(conn: Connection):  # type: ignore[no-untyped-def]
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _jsonable(value: Any) -> Any:
    """Datetimes to ISO strings so JSON columns accept the structure on every backend."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _draft_from_row(row: Any, berichten: List[Bericht]) -> Draft:
    return Draft.parse_obj(
        {
            **row.data,
            "id": row.id,
            "conversation_id": row.conversation_id,
            "created_at": _aware(row.created_at),
            "updated_at": _aware(row.updated_at),
            "status": row.status,
            "urgent": row.urgent,
            "versie": row.versie,
            "toegewezen_aan": row.toegewezen_aan,
            "vorige_id": row.vorige_id,
            "transcript": berichten,
        }
    )


def _intake_json(intake: Optional[Intake]) -> Optional[Dict[str, Any]]:
    if intake is None:
        return None
    return _jsonable(mask_tree(intake.dict(exclude={"transcript"})))
