"""The consultant's work on a draft: see, change facts (re-classified), take, approve, reject, return.

One service for the review pages and the JSON API, so both apply the same authorisation and rules.
Every change goes through `DraftStore.save_review` with the version the consultant saw, so two
consultants never silently overwrite each other. Nothing here knows about HTTP.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, Field, validator

from .analyse.overeenstemming import Overeenstemming
from .classificatie import Draft, Intake, classify
from .classificatie.inzet import Inzet
from .classificatie.model import GebiedAntwoord, Omstandigheid, TypeOndersteuning
from .classificatie.policy import Policy
from .store import Cijfers, DraftStore, Filters, Page
from .store.accounts import Gebruiker
from .store.drafts import AuditEntry

EINDSTATUS = ("goedgekeurd", "afgewezen")


class GeenToegang(PermissionError):
    """The draft belongs to a gemeente this user does not work for."""


class OngeldigeActie(ValueError):
    """The action does not fit the draft's status or misses its reason; the message is Dutch."""


class GebiedFeit(BaseModel):
    code: str
    doel: str = ""
    type: Optional[TypeOndersteuning] = None


class FeitenWijziging(BaseModel):
    """Classified facts a consultant may change; fields left out stay as they are."""

    gemeente: Optional[str] = None
    leeftijd: Optional[int] = Field(default=None, ge=0, le=130)
    resultaatgebieden: Optional[List[GebiedFeit]] = None
    prioriteit: Optional[str] = None
    verzwarende_omstandigheden: Optional[List[str]] = None
    duur_verwachting_maanden: Optional[int] = Field(default=None, ge=1, le=120)

    @validator("resultaatgebieden")
    def _geen_dubbele(cls, v: Optional[List[GebiedFeit]]) -> Optional[List[GebiedFeit]]:
        if v is not None and len({g.code for g in v}) != len(v):
            raise ValueError("een resultaatgebied staat er twee keer in")
        return v


def intake_van_draft(draft: Draft) -> Intake:
    """Rebuild an intake from a draft, for drafts stored without one."""
    return Intake(
        conversation_id=draft.conversation_id,
        toestemming=True,
        gemeente=draft.gemeente,
        leeftijd=draft.leeftijd,
        hulpvraag=draft.hulpvraag,
        resultaatgebieden=[GebiedAntwoord(code=g.code, doel=g.doel, type=g.type) for g in draft.resultaatgebieden],
        prioriteit=draft.resultaatgebieden[0].code if draft.resultaatgebieden else None,
        eigen_kracht=draft.eigen_kracht,
        netwerk=draft.netwerk,
        voorliggend_veld=draft.voorliggend_veld,
        verzwarende_omstandigheden=list(draft.verzwarende_omstandigheden),
        duur_verwachting_maanden=draft.duur_maanden,
        afgerond="bevestiging" not in draft.ontbrekend,
    )


class ReviewService:
    def __init__(self, store: DraftStore, policy: Policy, inzet: Inzet | None = None):
        self.store = store
        self.policy = policy  # all served gemeenten (the overview when the deployment has several regions)
        self.inzet = inzet
        self.overeenstemming = Overeenstemming(store.engine)  # agreement per fact (actions/analyse)

    def policy_voor(self, gemeente: str | None) -> Policy:
        """The policy file that decides a draft of this gemeente."""
        return self.inzet.policy_voor(gemeente) if self.inzet is not None else self.policy

    # -- reading -------------------------------------------------------------------------------

    def wachtrij(self, gebruiker: Gebruiker, filters: Filters, page: int = 1, per_page: int = 25) -> Page:
        filters.gemeenten = gebruiker.zichtbare_gemeenten()
        return self.store.list(filters, page=page, per_page=per_page)

    def concept(self, gebruiker: Gebruiker, draft_id: str) -> Draft:
        draft = self.store.get(draft_id)
        if not gebruiker.mag_zien(draft.gemeente):
            raise GeenToegang(draft_id)
        return draft

    def logboek(self, gebruiker: Gebruiker, draft_id: str) -> List[AuditEntry]:
        """The audit log of a draft this user may see."""
        self.concept(gebruiker, draft_id)
        return self.store.audit(draft_id)

    def cijfers(self, gebruiker: Gebruiker) -> Cijfers:
        """Figures for the team overview, over the drafts this user may see."""
        return self.store.cijfers(gebruiker.zichtbare_gemeenten())

    # -- changing facts ------------------------------------------------------------------------

    def wijzig(
        self, gebruiker: Gebruiker, draft_id: str, versie: int, wijziging: FeitenWijziging, waarom: str
    ) -> Draft:
        if not waarom.strip():
            raise OngeldigeActie("Schrijf kort waarom u dit verandert; dat komt in het logboek.")
        draft = self.concept(gebruiker, draft_id)
        if draft.status in EINDSTATUS:
            raise OngeldigeActie("Dit concept is al afgehandeld en kan niet meer veranderen.")
        intake = self.store.get_intake(draft_id) or intake_van_draft(draft)
        oud = intake.copy(deep=True)
        self._pas_toe(intake, wijziging)
        nieuw = classify(intake, self.policy_voor(intake.gemeente))
        wijzigingen = self._verschil(oud, intake)
        if not wijzigingen:
            raise OngeldigeActie("Er is niets veranderd.")
        nieuw = nieuw.copy(
            update={
                "id": draft.id,
                "created_at": draft.created_at,
                "status": draft.status,
                "toegewezen_aan": draft.toegewezen_aan,
                "transcript": draft.transcript,
                "versie": draft.versie,
            }
        )
        self.overeenstemming.onthoud(draft)  # the assistant's facts, kept from the first change
        return self.store.save_review(nieuw, gebruiker.naam, "gewijzigd", wijzigingen, waarom, versie, intake=intake)

    def _pas_toe(self, intake: Intake, w: FeitenWijziging) -> None:
        p = self.policy
        if w.gemeente is not None:
            if w.gemeente not in p.gemeenten:
                raise OngeldigeActie(f"Onbekende gemeente '{w.gemeente}'.")
            intake.gemeente = w.gemeente
            intake.buiten_regio = False
        if w.leeftijd is not None:
            intake.leeftijd = w.leeftijd
        if w.resultaatgebieden is not None:
            for g in w.resultaatgebieden:
                if g.code not in p.resultaatgebieden:
                    raise OngeldigeActie(f"Onbekend resultaatgebied '{g.code}'.")
            intake.resultaatgebieden = [
                GebiedAntwoord(
                    code=g.code, doel=g.doel, type=g.type, type_toelichting=self._toelichting(intake, g.code)
                )
                for g in w.resultaatgebieden
            ]
        if w.prioriteit is not None:
            if w.prioriteit not in {g.code for g in intake.resultaatgebieden}:
                raise OngeldigeActie("De prioriteit moet een van de gekozen resultaatgebieden zijn.")
            intake.prioriteit = w.prioriteit
        if w.verzwarende_omstandigheden is not None:
            bestaand = {o.code: o.toelichting for o in intake.verzwarende_omstandigheden}
            for code in w.verzwarende_omstandigheden:
                if code not in p.verzwarende_omstandigheden:
                    raise OngeldigeActie(f"Onbekende verzwarende omstandigheid '{code}'.")
            intake.verzwarende_omstandigheden = [
                Omstandigheid(code=c, toelichting=bestaand.get(c, "vastgesteld door de consulent"))
                for c in w.verzwarende_omstandigheden
            ]
        if w.duur_verwachting_maanden is not None:
            intake.duur_verwachting_maanden = w.duur_verwachting_maanden

    @staticmethod
    def _toelichting(intake: Intake, code: str) -> str:
        return next((g.type_toelichting for g in intake.resultaatgebieden if g.code == code), "")

    @staticmethod
    def _verschil(oud: Intake, nieuw: Intake) -> Dict[str, Any]:
        def feiten(i: Intake) -> Dict[str, Any]:
            return {
                "gemeente": i.gemeente,
                "leeftijd": i.leeftijd,
                "resultaatgebieden": [{"code": g.code, "doel": g.doel, "type": g.type} for g in i.resultaatgebieden],
                "prioriteit": i.prioriteit,
                "verzwarende_omstandigheden": sorted(o.code for o in i.verzwarende_omstandigheden),
                "duur_verwachting_maanden": i.duur_verwachting_maanden,
            }

        a, b = feiten(oud), feiten(nieuw)
        return {k: {"oud": a[k], "nieuw": b[k]} for k in a if a[k] != b[k]}

    # -- status actions ------------------------------------------------------------------------

    def _status(
        self,
        gebruiker: Gebruiker,
        draft_id: str,
        versie: int,
        actie: str,
        status: str,
        reden: str = "",
        nodig: bool = False,
    ) -> Draft:
        if nodig and not reden.strip():
            raise OngeldigeActie("Geef een reden of vraag op; de inwoner en collega's moeten die kunnen lezen.")
        draft = self.concept(gebruiker, draft_id)
        if draft.status in EINDSTATUS:
            raise OngeldigeActie("Dit concept is al afgehandeld.")
        oud = draft.status
        draft.status = status  # type: ignore[assignment]
        if actie == "in_behandeling_genomen":
            draft.toegewezen_aan = gebruiker.naam
        draft.updated_at = datetime.now(timezone.utc)
        besloten = self.store.save_review(
            draft, gebruiker.naam, actie, {"status": {"oud": oud, "nieuw": status}}, reden, versie
        )
        if status in EINDSTATUS:
            self.overeenstemming.besluit(besloten, status)
        return besloten

    def nemen(self, gebruiker: Gebruiker, draft_id: str, versie: int) -> Draft:
        return self._status(gebruiker, draft_id, versie, "in_behandeling_genomen", "in_behandeling")

    def goedkeuren(self, gebruiker: Gebruiker, draft_id: str, versie: int, reden: str = "") -> Draft:
        return self._status(gebruiker, draft_id, versie, "goedgekeurd", "goedgekeurd", reden)

    def afwijzen(self, gebruiker: Gebruiker, draft_id: str, versie: int, reden: str) -> Draft:
        return self._status(gebruiker, draft_id, versie, "afgewezen", "afgewezen", reden, nodig=True)

    def terugsturen(self, gebruiker: Gebruiker, draft_id: str, versie: int, vraag: str) -> Draft:
        return self._status(gebruiker, draft_id, versie, "teruggestuurd", "teruggestuurd", vraag, nodig=True)

    def status_actie(self, actie: str, gebruiker: Gebruiker, draft_id: str, versie: int, tekst: str = "") -> Draft:
        """One of the status actions by name (pages and API share this table)."""
        if actie == "nemen":
            return self.nemen(gebruiker, draft_id, versie)
        uitvoeren = {"goedkeuren": self.goedkeuren, "afwijzen": self.afwijzen, "terugsturen": self.terugsturen}[actie]
        return uitvoeren(gebruiker, draft_id, versie, tekst)

    def export(self, gebruiker: Gebruiker, draft_id: str) -> Dict[str, Any]:
        draft = self.concept(gebruiker, draft_id)
        if draft.status != "goedgekeurd":
            raise OngeldigeActie("Alleen een goedgekeurde indicatie kan worden geëxporteerd.")
        return {
            "indicatie": json_draft(draft, transcript=False),
            "logboek": [e.__dict__ | {"tijd": e.tijd.isoformat()} for e in self.store.audit(draft_id)],
        }


def json_draft(draft: Draft, transcript: bool = True) -> Dict[str, Any]:
    """A draft in the contract's shape, ready for json.dumps."""
    import json

    return json.loads(draft.json(exclude=None if transcript else {"transcript"}))
