"""A region's afwegingskader as data: loading and validating a policy file.

`load_policy(path)` reads a YAML file like `actions/policies/lekstroom.yml` and returns a `Policy`.
Any mistake in the file raises `PolicyError` with a message that names the file, the key and what is
wrong, so that a policy officer can fix it without reading Python.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Literal, Tuple, Union

import yaml
from pydantic import BaseModel, Extra, Field, ValidationError, root_validator, validator

from .herkomst import Herkomst, HerkomstFout, herkomst_van, lees_herkomst
from .model import Frequentie, Intensiteit, TypeOndersteuning, Zwaarte

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
DEFAULT_POLICY = POLICY_DIR / "lekstroom.yml"

ZWAARTES: Tuple[str, ...] = ("1-2", "3-4", "5")
TYPES: Tuple[str, ...] = ("ontwikkelen", "behouden")
INTENSITEITEN: Tuple[str, ...] = ("gemiddeld", "plus", "plusplus")
SIGNAAL_CODES = ("doelgroep", "mantelzorger_overbelast")


class PolicyError(ValueError):
    """The policy file cannot be used; the message says where and why."""


class _Blok(BaseModel):
    """A block of a policy file: a key it does not know (a typo) is an error, not silently ignored."""

    class Config:
        extra = Extra.forbid


# pydantic's words for the most common mistakes, in the policy officer's language
_MELDINGEN = {
    "extra fields not permitted": "onbekende sleutel (een typfout?)",
    "field required": "ontbreekt, maar is verplicht",
    "none is not an allowed value": "mag niet leeg zijn",
}


class Gebied(_Blok):
    naam: str
    uitleg: str = ""
    alleen_met_ander_gebied: bool = False


class Band(_Blok):
    band: Zwaarte
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class Niveau(_Blok):
    niveau: Intensiteit
    min: int = Field(ge=0)
    max: int | None = Field(default=None, ge=0)


class IntensiteitRegels(_Blok):
    niveaus: List[Niveau]
    altijd_hoogste: List[str] = Field(default_factory=list)


class DuurRegel(_Blok):
    standaard: int = Field(gt=0)
    snel: int = Field(gt=0)
    min: int = Field(gt=0)
    max: int = Field(gt=0)

    @root_validator(skip_on_failure=True)
    def _binnen_grenzen(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        lo, hi = values["min"], values["max"]
        if not lo <= hi:
            raise ValueError(f"min ({lo}) is groter dan max ({hi})")
        for key in ("standaard", "snel"):
            if not lo <= values[key] <= hi:
                raise ValueError(f"{key} ({values[key]}) ligt niet tussen min ({lo}) en max ({hi})")
        return values


class TypeRegels(_Blok):
    """How the type of the indication follows from the areas' types."""

    # when the priority area's type is unknown: take the first area whose type is known (true),
    # or go straight to the default (false)
    eerste_bekende: bool = True
    # the type when the inwoner did not know it for any area (the consultant decides later)
    standaard: TypeOndersteuning


class AdviesRegels(_Blok):
    """The rules of the advice, as the consultant reads them in the onderbouwing."""

    # why maatwerk: a need remains after own strength, network and general provisions
    maatwerk: str
    # why no maatwerk when the inwoner named no area
    zonder_gebied: str


class Evaluatie(_Blok):
    eerste_na_maanden: int = Field(gt=0)
    daarna_elke_maanden: Dict[TypeOndersteuning, int]
    voor_einde_weken: int = Field(ge=0)


class Jongvolwassene(_Blok):
    van: int
    tot: int
    # what the consultant should pay attention to for this age group (shown in the signal)
    aandacht: str = ""


class Leeftijd(_Blok):
    minimum: int
    jongvolwassene: Jongvolwassene


class ProductCel(_Blok):
    code: str
    zwaarte: Zwaarte
    type: TypeOndersteuning
    intensiteit: Intensiteit
    tarief: float | None = Field(default=None, ge=0)
    label: str | None = None


class SociaalTeam(_Blok):
    naam: str
    telefoon: str | None = None
    website: str | None = None


class Gemeente(_Blok):
    plaatsen: List[str]
    sociaal_team: SociaalTeam
    voorliggend_veld: List[str] = Field(default_factory=list)


# A place name "elsewhere" with the other gemeente(n) it lies in, each with the words that point
# there ("Noord-Brabant" for Vianen in Land van Cuijk) besides that gemeente's own place names.
DubbeleNaam = Dict[str, List[str]]


class Voorziening(_Blok):
    naam: str
    biedt: str
    past_bij: List[str] = Field(default_factory=list)


class Hulplijn(_Blok):
    naam: str
    nummer: str | None = None
    wanneer: str = ""


class Privacy(_Blok):
    bewaartermijn_dagen: int = Field(gt=0)


class Afhandeling(_Blok):
    reactietermijn_werkdagen: int = Field(gt=0)


class KenmerkRegel(_Blok):
    signaal: str | None = None
    waarde: str | None = None
    # a general provision to suggest when the inwoner's words show this (for example
    # mantelzorgondersteuning for an overloaded helper), if the inwoner's gemeente offers it
    voorziening: str | None = None

    @validator("signaal")
    def _bekend_signaal(cls, v: str | None) -> str | None:
        if v is not None and v not in SIGNAAL_CODES:
            raise ValueError(f"onbekend signaal '{v}'; kies uit {', '.join(SIGNAAL_CODES)}")
        return v


class WlzGrens(_Blok):
    een_van: List[str]
    en_een_van: List[str]


# -- How a draft is decided: `afweging` with its `soort` ---------------------------------------------


class Voorwaarde(_Blok):
    """When a criterion, segment or module applies: every test written here must hold.

    The tests read the answers the intake collects for every region: the counted verzwarende
    omstandigheden, what was recognised in the inwoner's words (kenmerken), whether the help can
    be planned, how often it is needed, the number of areas, the age and the type of the areas.
    """

    omstandigheden_min: int | None = Field(default=None, ge=1)
    omstandigheden: List[str] = Field(default_factory=list)
    kenmerken: List[str] = Field(default_factory=list)
    planbaar: bool | None = None
    frequentie: List[Frequentie] = Field(default_factory=list)
    gebieden_min: int | None = Field(default=None, ge=1)
    leeftijd_vanaf: int | None = Field(default=None, ge=0)
    type: TypeOndersteuning | None = None

    @root_validator(skip_on_failure=True)
    def _niet_leeg(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if all(v in (None, []) for v in values.values()):
            raise ValueError("noem minstens één voorwaarde (bijvoorbeeld planbaar: false)")
        return values


class Telling(_Blok):
    """Counting: number of areas → zwaarte band × type × intensity → a product of the matrix.

    The bands, levels and products are the top-level blocks zwaarte, intensiteit and producten."""

    soort: Literal["telling"]


class Leefgebied(_Blok):
    naam: str
    laagste: int = Field(ge=1)
    hoogste: int = Field(ge=1)
    # our areas of life that this leefgebied covers
    gebieden: List[str]

    @root_validator(skip_on_failure=True)
    def _bereik(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if values["laagste"] > values["hoogste"]:
            raise ValueError(f"laagste ({values['laagste']}) is hoger dan hoogste ({values['hoogste']})")
        return values


class Ophoging(_Blok):
    naam: str
    stappen: int = Field(ge=1)
    als: Voorwaarde


class TredeRegel(_Blok):
    """The trede within a leefgebied's range: its lowest, then steps up, never above its highest."""

    per_omstandigheid: int = Field(ge=0)
    ophogen: Dict[str, Ophoging] = Field(default_factory=dict)
    # circumstances that put every leefgebied at its highest trede on their own
    altijd_hoogste: List[str] = Field(default_factory=list)


class Segment(_Blok):
    naam: str
    als: Voorwaarde


class ModuleRegel(_Blok):
    naam: str
    groep: str
    trede: int | None = Field(default=None, ge=1)
    # None: the assistant never chooses this module; the consultant does
    als: Voorwaarde | None = None


class Treden(_Blok):
    """A level per area: each leefgebied gets a trede in its own range and a segment; plus modules."""

    soort: Literal["treden"]
    leefgebieden: Dict[str, Leefgebied]
    trede: TredeRegel
    # in order: the first segment whose conditions hold is the leefgebied's segment
    segmenten: Dict[str, Segment]
    modules: Dict[str, ModuleRegel] = Field(default_factory=dict)
    # the label of the arrangement as the consultant reads it
    label: str


class CriteriaProductRegel(_Blok):
    code: str
    label: str
    tarief: float | None = Field(default=None, ge=0)


class CriteriumRegel(_Blok):
    naam: str
    als: Voorwaarde


class Orientatie(_Blok):
    """A short first indication in which the provider finds out what fits."""

    maanden: int = Field(gt=0)
    # the product (key of producten) that starts with this short indication
    bij: str


class Criteria(_Blok):
    """Criteria: one product unless a criterion holds, then the other (basis or specialistisch)."""

    soort: Literal["criteria"]
    producten: Dict[str, CriteriaProductRegel]
    # the product when no criterion holds, and when at least one does
    standaard: str
    bij_criterium: str
    criteria: Dict[str, CriteriumRegel]
    orientatie: Orientatie | None = None

    @root_validator(skip_on_failure=True)
    def _bekende_producten(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        producten = values["producten"]
        for key in ("standaard", "bij_criterium"):
            if values[key] not in producten:
                raise ValueError(f"{key}: onbekend product '{values[key]}'; kies uit {', '.join(producten)}")
        orientatie = values["orientatie"]
        if orientatie is not None and orientatie.bij not in producten:
            raise ValueError(f"orientatie.bij: onbekend product '{orientatie.bij}'; kies uit {', '.join(producten)}")
        return values


Afweging = Union[Telling, Treden, Criteria]


class Policy(_Blok):
    """A region's complete afwegingskader."""

    naam: str
    versie: str
    # the first day this version of the afwegingskader applies
    geldig_vanaf: date
    resultaatgebieden: Dict[str, Gebied]
    # how a draft is decided: telling, treden or criteria
    afweging: Afweging = Field(discriminator="soort")
    # counting only (afweging.soort telling): the bands, the levels and the matrix of products
    zwaarte: List[Band] = Field(default_factory=list)
    intensiteit: IntensiteitRegels | None = None
    type_ondersteuning: TypeRegels
    advies: AdviesRegels
    duur: Dict[TypeOndersteuning, DuurRegel]
    evaluatie: Evaluatie
    leeftijd: Leeftijd
    verzwarende_omstandigheden: Dict[str, str]
    niet_verzwarend: List[str] = Field(default_factory=list)
    producten: List[ProductCel] = Field(default_factory=list)
    product_label: str = ""
    gemeenten: Dict[str, Gemeente]
    voorzieningen: Dict[str, Voorziening]
    hulplijnen: List[Hulplijn]
    privacy: Privacy
    afhandeling: Afhandeling
    kenmerken: Dict[str, KenmerkRegel] = Field(default_factory=dict)
    wlz_grens: WlzGrens | None = None
    # Places outside the region an inwoner may name, per real gemeente (the gemeente's own name
    # counts as one of its places), and region place names that also exist elsewhere.
    plaatsen_buiten_regio: Dict[str, List[str]] = Field(default_factory=dict)
    dubbele_namen: Dict[str, DubbeleNaam] = Field(default_factory=dict)
    # where each rule comes from, by key path ("duur.ontwikkelen.min"): filled by load_policy
    herkomst: Dict[str, Herkomst] = Field(default_factory=dict)
    # the file's name without .yml ("lekstroom"): filled by load_policy
    bestand: str = ""

    @validator("plaatsen_buiten_regio", pre=True)
    def _lege_lijst(cls, v: object) -> object:
        if isinstance(v, dict):
            return {k: ([] if namen is None else namen) for k, namen in v.items()}
        return v

    @validator("duur")
    def _beide_types(cls, v: Dict[TypeOndersteuning, DuurRegel]) -> Dict[TypeOndersteuning, DuurRegel]:
        missing = [t for t in TYPES if t not in v]
        if missing:
            raise ValueError(f"ontbreekt voor type {', '.join(missing)}")
        return v

    @root_validator(skip_on_failure=True)
    def _samenhang(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        gebieden = set(values["resultaatgebieden"])
        _check_afweging(values, gebieden)
        voorzieningen = values["voorzieningen"]
        for code, v in voorzieningen.items():
            for g in v.past_bij:
                if g not in gebieden:
                    raise ValueError(f"voorzieningen.{code}.past_bij: onbekend resultaatgebied '{g}'")
        for naam, gemeente in values["gemeenten"].items():
            for v in gemeente.voorliggend_veld:
                if v not in voorzieningen:
                    raise ValueError(f"gemeenten.{naam}.voorliggend_veld: onbekende voorziening '{v}'")
        for code, kenmerk in values["kenmerken"].items():
            if kenmerk.voorziening is not None and kenmerk.voorziening not in voorzieningen:
                raise ValueError(f"kenmerken.{code}.voorziening: onbekende voorziening '{kenmerk.voorziening}'")
        _check_plaatsen(values["gemeenten"], values["plaatsen_buiten_regio"], values["dubbele_namen"])
        return values

    # -- look-ups used by classify() and the conversation -------------------------------------

    def telling(self) -> Tuple[List[Band], IntensiteitRegels]:
        """The counting rules; only for afweging.soort telling (checked when the file is loaded)."""
        if self.intensiteit is None:
            raise ValueError(f"{self.naam}: geen telling (afweging.soort is {self.afweging.soort})")
        return self.zwaarte, self.intensiteit

    def plaatsen(self) -> Dict[Tuple[str, ...], str]:
        """Every place of the region (and each gemeente's own name) as compared → its gemeente."""
        return {plaats_tokens(p): naam for naam, g in self.gemeenten.items() for p in [naam, *g.plaatsen]}

    def herkomst_van(self, pad: str) -> Herkomst | None:
        """The origin of the rule at a key path: its own, else that of the block above it."""
        return herkomst_van(self.herkomst, pad)

    def product_voor(self, zwaarte: str, type_: str, intensiteit: str) -> ProductCel:
        for p in self.producten:
            if (p.zwaarte, p.type, p.intensiteit) == (zwaarte, type_, intensiteit):
                return p
        raise KeyError((zwaarte, type_, intensiteit))  # unreachable: validated on load

    def product_label_voor(self, cel: ProductCel) -> str:
        if cel.label:
            return cel.label
        return self.product_label.format(zwaarte=cel.zwaarte, type=cel.type, intensiteit=cel.intensiteit)


def plaats_tokens(tekst: str) -> Tuple[str, ...]:
    """A place name as compared: lower case, no accents, split on spaces, hyphens and apostrophes.

    "Hei- en Boeicop" -> ("hei", "en", "boeicop"); "'t Goy" -> ("t", "goy"); "IJsselstein" -> ("ijsselstein",).
    """
    return tuple(_vouw(w) for w in re.findall(r"[^\W_]+", tekst))


def _vouw(woord: str) -> str:
    zonder_accent = unicodedata.normalize("NFKD", woord)
    return "".join(c for c in zonder_accent if not unicodedata.combining(c)).lower()


def _check_plaatsen(
    gemeenten: Dict[str, Gemeente], buiten: Dict[str, List[str]], dubbel: Dict[str, DubbeleNaam]
) -> None:
    """Every name points at one gemeente; a name both in and outside the region is a 'dubbele naam'."""
    regio: Dict[Tuple[str, ...], str] = {}
    for naam, data in gemeenten.items():
        for plaats in [naam, *data.plaatsen]:
            sleutel = plaats_tokens(plaats)
            if not sleutel:
                raise ValueError(f"gemeenten.{naam}.plaatsen: lege plaatsnaam")
            andere = regio.setdefault(sleutel, naam)
            if andere != naam:
                raise ValueError(f"gemeenten.{naam}.plaatsen: '{plaats}' staat ook bij gemeente {andere}")
    dubbel_sleutels = {plaats_tokens(n) for n in dubbel}
    elders: Dict[Tuple[str, ...], str] = {}
    for gemeente, plaatsen in buiten.items():
        if plaats_tokens(gemeente) in {plaats_tokens(g) for g in gemeenten}:
            raise ValueError(f"plaatsen_buiten_regio.{gemeente}: {gemeente} is een gemeente van de regio")
        for plaats in [gemeente, *plaatsen]:
            sleutel = plaats_tokens(plaats)
            if not sleutel:
                raise ValueError(f"plaatsen_buiten_regio.{gemeente}: lege plaatsnaam")
            if sleutel in regio and sleutel not in dubbel_sleutels:
                raise ValueError(
                    f"plaatsen_buiten_regio.{gemeente}: '{plaats}' is ook een plaats in gemeente {regio[sleutel]}; "
                    "zet de naam onder dubbele_namen"
                )
            andere = elders.setdefault(sleutel, gemeente)
            if andere != gemeente:
                raise ValueError(f"plaatsen_buiten_regio.{gemeente}: '{plaats}' staat ook bij {andere}")
    buiten_sleutels = {plaats_tokens(g) for g in buiten}
    for naam, anderen in dubbel.items():
        if plaats_tokens(naam) not in regio:
            raise ValueError(f"dubbele_namen.{naam}: '{naam}' is geen plaats van de regio (gemeenten.*.plaatsen)")
        if not anderen:
            raise ValueError(f"dubbele_namen.{naam}: noem de andere gemeente(n) met deze plaatsnaam")
        for gemeente, woorden in anderen.items():
            if plaats_tokens(gemeente) in {plaats_tokens(g) for g in gemeenten}:
                raise ValueError(f"dubbele_namen.{naam}: {gemeente} is een gemeente van de regio")
            if buiten and plaats_tokens(gemeente) not in buiten_sleutels:
                raise ValueError(
                    f"dubbele_namen.{naam}: onbekende gemeente '{gemeente}'; zet hem ook onder plaatsen_buiten_regio"
                )
            if any(not plaats_tokens(w) for w in woorden):
                raise ValueError(f"dubbele_namen.{naam}.{gemeente}: lege naam")


_TELLING = ("zwaarte", "intensiteit", "producten", "product_label")


def _check_afweging(values: Dict[str, Any], gebieden: set[str]) -> None:
    """The blocks that belong to the file's afweging.soort are there, and refer to known codes."""
    afweging = values["afweging"]
    omstandigheden = set(values["verzwarende_omstandigheden"])
    aanwezig = [k for k in _TELLING if values.get(k) not in (None, [], "")]
    if isinstance(afweging, Telling):
        ontbreekt = [k for k in _TELLING if k not in aanwezig]
        if ontbreekt:
            raise ValueError(f"afweging.soort telling: ontbreekt {', '.join(ontbreekt)}")
        _check_producten(values["producten"])
        for code in values["intensiteit"].altijd_hoogste:
            if code not in omstandigheden:
                raise ValueError(f"intensiteit.altijd_hoogste: onbekende omstandigheid '{code}'")
        return
    if aanwezig:
        raise ValueError(
            f"{', '.join(aanwezig)}: hoort alleen bij afweging.soort telling (dit bestand: {afweging.soort})"
        )
    voorwaarden: List[Tuple[str, Voorwaarde]] = []
    if isinstance(afweging, Treden):
        gezien: Dict[str, str] = {}
        for code, lg in afweging.leefgebieden.items():
            for g in lg.gebieden:
                if g not in gebieden:
                    raise ValueError(f"afweging.leefgebieden.{code}.gebieden: onbekend resultaatgebied '{g}'")
                if g in gezien:
                    raise ValueError(f"afweging.leefgebieden.{code}.gebieden: '{g}' staat ook bij {gezien[g]}")
                gezien[g] = code
        zonder = sorted(gebieden - set(gezien))
        if zonder:
            raise ValueError(f"afweging.leefgebieden: resultaatgebied(en) {', '.join(zonder)} bij geen leefgebied")
        for code in afweging.trede.altijd_hoogste:
            if code not in omstandigheden:
                raise ValueError(f"afweging.trede.altijd_hoogste: onbekende omstandigheid '{code}'")
        voorwaarden += [(f"afweging.trede.ophogen.{k}.als", o.als) for k, o in afweging.trede.ophogen.items()]
        voorwaarden += [(f"afweging.segmenten.{k}.als", s.als) for k, s in afweging.segmenten.items()]
        voorwaarden += [(f"afweging.modules.{k}.als", m.als) for k, m in afweging.modules.items() if m.als]
        if not afweging.segmenten:
            raise ValueError("afweging.segmenten: noem minstens één segment")
    if isinstance(afweging, Criteria):
        voorwaarden += [(f"afweging.criteria.{k}.als", c.als) for k, c in afweging.criteria.items()]
    kenmerken = set(values["kenmerken"])
    for pad, v in voorwaarden:
        for code in v.omstandigheden:
            if code not in omstandigheden:
                raise ValueError(f"{pad}.omstandigheden: onbekende omstandigheid '{code}'")
        for code in v.kenmerken:
            if code not in kenmerken:
                raise ValueError(f"{pad}.kenmerken: onbekend kenmerk '{code}' (zet het onder kenmerken)")


def _check_producten(producten: List[ProductCel]) -> None:
    seen: Dict[Tuple[str, str, str], str] = {}
    codes = set()
    for p in producten:
        cel = (p.zwaarte, p.type, p.intensiteit)
        if cel in seen:
            raise ValueError(f"producten: cel {'/'.join(cel)} staat er twee keer in ({seen[cel]}, {p.code})")
        if p.code in codes:
            raise ValueError(f"producten: code {p.code} komt twee keer voor")
        seen[cel] = p.code
        codes.add(p.code)
    missing = ["/".join((z, t, i)) for z in ZWAARTES for t in TYPES for i in INTENSITEITEN if (z, t, i) not in seen]
    if missing:
        raise ValueError(f"producten: geen product voor cel(len) {', '.join(missing)}")


# pydantic names the member of the afweging union in the key path; the file does not
_SOORTEN = ("Telling", "Treden", "Criteria")


def _melding(tekst: str) -> str:
    """pydantic's message in the policy officer's language."""
    if tekst.startswith("No match for discriminator"):
        return "onbekende soort; kies uit telling, treden of criteria"
    if tekst.startswith("unexpected value; permitted:"):
        return "onbekende waarde; kies uit " + tekst.split(":", 1)[1].strip()
    return _MELDINGEN.get(tekst, tekst)


def _loc(loc: Tuple[Union[int, str], ...]) -> str:
    parts: List[str] = []
    for item in loc:
        if item == "__root__" or item in _SOORTEN:
            continue
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(bovenste niveau)"


def load_policy(path: Path | str = DEFAULT_POLICY) -> Policy:
    """Read and validate a policy file; raise PolicyError naming file, key and problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: bestand niet gevonden") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: geen geldige YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: verwacht een mapping met sleutels als 'naam' en 'producten'")
    if "herkomst" in raw:
        raise PolicyError(f"{path}: herkomst: schrijf 'bron' of 'aanname' bij de regel zelf, niet in een apart blok")
    try:
        regels, herkomst = lees_herkomst(raw)
    except HerkomstFout as exc:
        raise PolicyError(f"{path}: {exc}") from None
    try:
        policy = Policy.parse_obj({**regels, "herkomst": herkomst})
    except ValidationError as exc:
        problems = "; ".join(f"{_loc(e['loc'])}: {_melding(e['msg'])}" for e in exc.errors())
        raise PolicyError(f"{path}: {problems}") from None
    policy.bestand = path.stem
    return policy


@lru_cache(maxsize=4)
def cached_policy(path: str = str(DEFAULT_POLICY)) -> Policy:
    """The policy for long-running processes (action server, web app): read once."""
    return load_policy(path)
