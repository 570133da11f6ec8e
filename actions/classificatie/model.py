"""Typed objects that cross the boundaries of the classification core.

`Intake` is what the conversation collected; `Draft` is the draft indication handed to the queue,
the review app, the API and exports (the contract). Both are pydantic 1.10 models because Rasa pins
pydantic 1.10. Nothing here imports Rasa, the database or the network.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Literal, Union

from pydantic import BaseModel, Field

TypeOndersteuning = Literal["ontwikkelen", "behouden"]
Zwaarte = Literal["1-2", "3-4", "5"]
Intensiteit = Literal["gemiddeld", "plus", "plusplus"]
Advies = Literal["maatwerk", "voorliggend_veld", "doorverwijzen"]
Status = Literal["nieuw", "in_behandeling", "goedgekeurd", "afgewezen", "teruggestuurd"]
# How often the inwoner needs help, as the intake asks it (the same for every region).
Frequentie = Literal["dagelijks", "paar_keer_per_week", "wekelijks", "minder_vaak"]
FREQUENTIES: tuple[str, ...] = ("dagelijks", "paar_keer_per_week", "wekelijks", "minder_vaak")
# How a region's file decides a draft (the `afweging.soort` of a policy file).
Afwegingssoort = Literal["telling", "treden", "criteria"]

STATUSSEN: tuple[str, ...] = ("nieuw", "in_behandeling", "goedgekeurd", "afgewezen", "teruggestuurd")


def nu() -> datetime:
    return datetime.now(timezone.utc)


class Bericht(BaseModel):
    """One line of the conversation as the inwoner saw it."""

    van: Literal["inwoner", "assistent"]
    tekst: str
    tijd: datetime | None = None
    # for the inwoner's messages: the intake_step of the question being answered
    stap: str | None = None


class GebiedAntwoord(BaseModel):
    """What the inwoner said about one resultaatgebied."""

    code: str
    doel: str = ""
    type: TypeOndersteuning | None = None
    type_toelichting: str = ""


class Omstandigheid(BaseModel):
    """A named circumstance with the inwoner's words as evidence."""

    code: str
    toelichting: str = ""


class Kenmerk(BaseModel):
    """Something recognised in the inwoner's words that may raise a signal (a diagnosis, overload)."""

    code: str
    tekst: str = ""


class Intake(BaseModel):
    """Everything the conversation collected, in structured form. Unknown answers stay empty."""

    conversation_id: str
    toestemming: bool = False
    gemeente: str | None = None
    woonplaats: str | None = None
    buiten_regio: bool = False
    leeftijd: int | None = Field(default=None, ge=0, le=130)
    hulpvraag: str = ""
    resultaatgebieden: List[GebiedAntwoord] = Field(default_factory=list)
    prioriteit: str | None = None
    eigen_kracht: str = ""
    netwerk: str = ""
    voorliggend_veld: str = ""
    verzwarende_omstandigheden: List[Omstandigheid] = Field(default_factory=list)
    duur_verwachting_maanden: int | None = Field(default=None, ge=0, le=600)
    duur_toelichting: str = ""
    # how often help is needed and whether it can be planned; None when not asked or not known
    frequentie: Frequentie | None = None
    planbaar: bool | None = None
    contact: str = ""
    kenmerken: List[Kenmerk] = Field(default_factory=list)
    veiligheid: str | None = None
    # the kind of danger: zelf, slachtoffer, anderen, kind; empty when unknown (counts as danger)
    veiligheid_soort: List[str] = Field(default_factory=list)
    afgerond: bool = False
    transcript: List[Bericht] = Field(default_factory=list)


class DraftGebied(BaseModel):
    code: str
    doel: str = ""
    type: TypeOndersteuning | None = None
    prioriteit: int


class RegelBron(BaseModel):
    """Where a rule that decided comes from: a passage of a source, or an assumption still to be set."""

    # the key path of the rule in the policy file ("duur.ontwikkelen.min")
    sleutel: str
    bron: str | None = None
    aanname: bool = False
    vast_te_stellen_door: str | None = None

    def tekst(self) -> str:
        """One line for the consultant; an assumption is said first and plainly."""
        delen: List[str] = []
        if self.aanname:
            wie = f" ({self.vast_te_stellen_door})" if self.vast_te_stellen_door else ""
            delen.append(f"aanname, nog vast te stellen door de regio{wie}")
        if self.bron:
            delen.append(f"bron: {self.bron}")
        return "; ".join(delen) or "geen bron bekend"


class Signaal(BaseModel):
    code: str
    waarde: str | None = None
    reden: str
    bronnen: List[RegelBron] = Field(default_factory=list)


class Onderbouwing(BaseModel):
    """Why one decision came out as it did: the rule and the answers it rests on."""

    besluit: str
    uitkomst: str
    regel: str
    grond: str
    # the rules of the policy file this decision rests on, with their source or "aanname"
    bronnen: List[RegelBron] = Field(default_factory=list)

    def aanname(self) -> bool:
        return any(b.aanname for b in self.bronnen)


class Product(BaseModel):
    code: str
    label: str
    tarief: float | None = None


class Evaluatiemoment(BaseModel):
    soort: Literal["eerste", "tussentijds", "eind"]
    na_maanden: float
    omschrijving: str


class Bewegingen(BaseModel):
    afschalen: str
    voorliggend_veld: List[str] = Field(default_factory=list)
    informele_ondersteuning: str


class MatrixCel(BaseModel):
    """Counting (regio Lekstroom): the cell zwaarte × type × intensiteit of the matrix."""

    soort: Literal["telling"] = "telling"
    zwaarte: Zwaarte
    type: TypeOndersteuning
    intensiteit: Intensiteit
    product: Product
    onderbouwing: List[Onderbouwing] = Field(default_factory=list)
    bronnen: List[RegelBron] = Field(default_factory=list)


class Trede(BaseModel):
    """One leefgebied of an arrangement: its trede within its own range, and its segment."""

    code: str
    naam: str
    trede: int
    laagste: int
    hoogste: int
    segment: str
    segment_naam: str
    # our areas of life that led to this leefgebied
    gebieden: List[str] = Field(default_factory=list)
    bronnen: List[RegelBron] = Field(default_factory=list)


class Module(BaseModel):
    """An extra module of an arrangement (for example being reachable day and night)."""

    code: str
    naam: str
    trede: int | None = None
    reden: str
    bronnen: List[RegelBron] = Field(default_factory=list)


class Arrangement(BaseModel):
    """A level per area (Leidse regio): leefgebied → trede and segment, plus modules."""

    soort: Literal["treden"] = "treden"
    leefgebieden: List[Trede] = Field(default_factory=list)
    modules: List[Module] = Field(default_factory=list)
    onderbouwing: List[Onderbouwing] = Field(default_factory=list)
    bronnen: List[RegelBron] = Field(default_factory=list)


class Criterium(BaseModel):
    """One criterion of a criteria decision, whether it holds, and on which answers."""

    code: str
    naam: str
    voldaan: bool
    grond: str
    bronnen: List[RegelBron] = Field(default_factory=list)


class CriteriaProduct(BaseModel):
    """Criteria (Centraal Gelderland): a product such as basis or specialistisch, with its grounds."""

    soort: Literal["criteria"] = "criteria"
    uitkomst: str
    product: Product
    criteria: List[Criterium] = Field(default_factory=list)
    # a short first indication to find out what fits (oriëntatie), in months; None when not given
    orientatie_maanden: int | None = None
    onderbouwing: List[Onderbouwing] = Field(default_factory=list)
    bronnen: List[RegelBron] = Field(default_factory=list)


Afweging = Union[MatrixCel, Arrangement, CriteriaProduct]


class PolicyRef(BaseModel):
    naam: str
    versie: str
    # the policy file's name without .yml ("lekstroom"); None for drafts made before regions
    bestand: str | None = None
    # ISO date (2026-01-01) from which this version of the afwegingskader applies
    geldig_vanaf: str | None = None


class Draft(BaseModel):
    """The draft indication: the contract shared by actions, store, review app, API and exports."""

    id: str | None = None
    conversation_id: str
    created_at: datetime = Field(default_factory=nu)
    updated_at: datetime = Field(default_factory=nu)
    status: Status = "nieuw"
    urgent: bool = False
    gemeente: str | None = None
    leeftijd: int | None = None
    hulpvraag: str = ""
    resultaatgebieden: List[DraftGebied] = Field(default_factory=list)
    eigen_kracht: str = ""
    netwerk: str = ""
    voorliggend_veld: str = ""
    verzwarende_omstandigheden: List[Omstandigheid] = Field(default_factory=list)
    zwaarte: Zwaarte | None = None
    type: TypeOndersteuning | None = None
    intensiteit: Intensiteit | None = None
    duur_maanden: int | None = None
    evaluatiemomenten: List[Evaluatiemoment] = Field(default_factory=list)
    advies: Advies
    product: Product | None = None
    bewegingen: Bewegingen | None = None
    # the region's own result (a matrix cell, an arrangement, or a product on criteria); None when
    # there is no maatwerk
    afweging: Afweging | None = Field(default=None, discriminator="soort")
    signalen: List[Signaal] = Field(default_factory=list)
    onderbouwing: List[Onderbouwing] = Field(default_factory=list)
    ontbrekend: List[str] = Field(default_factory=list)
    policy: PolicyRef
    transcript: List[Bericht] = Field(default_factory=list)
    versie: int = 1
    toegewezen_aan: str | None = None
    # The earlier draft of the same conversation that a consultant had already taken up or decided;
    # a new intake after that becomes this new draft instead of changing the decided one.
    vorige_id: str | None = None

    def signaal_codes(self) -> List[str]:
        """Signals as `code` or `code:waarde`, the form the acceptance cases use."""
        return [s.code if s.waarde is None else f"{s.code}:{s.waarde}" for s in self.signalen]
