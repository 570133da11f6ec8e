"""Reading the place an inwoner names: which gemeente of the region, or which place elsewhere.

`lees_plaats(text, policy)` looks the words up in the policy's gazetteer (`gemeenten.*.plaatsen`,
`plaatsen_buiten_regio`, `dubbele_namen`) and returns a `Plaats`, or None when no place is named.
Pure: no conversation state, no I/O besides the Dutch word list of `pyspellchecker`.

Rules, in order:
1. Exact names first, forgiving case, accents, hyphens and apostrophes ("t goy", "tull en t waal",
   "groot ammers"); the longest name wins ("Willige Langerak" over "Langerak").
2. A name that is also an ordinary Dutch word ("Houten", "Uitweg", "Best", "Buren") only counts as a
   place where a place is meant: the whole answer, after "in"/"uit"/"bij"/..., or capitalised inside
   a sentence, never after "de"/"een"/"mijn" ("een houten kast", "ik zie geen uitweg").
3. Small typos are forgiven only in a word that is not a Dutch word (edit distance 1 for names of
   5-7 letters, 2 for 8 or more, after folding Dutch spelling variants such as ij/y/ei): "Nieuwegijn",
   "Ijselstijn", "Leerdm". "houden" never becomes Houten, "gooi" never 't Goy. A typo that is as
   well one letter off an ordinary word ("ennen", "egen") needs a sign as in rule 2.
4. A region name that also exists elsewhere (`dubbele_namen`) is confirmed with the inwoner
   (`dubbel=True`), unless the words next to it say which one is meant: "Vianen in Noord-Brabant",
   "Tienhoven bij Maarssen", "Schalkwijk in Haarlem" lie outside; "Vianen bij Utrecht" is ours.
5. With several places, the one the inwoner lives in wins ("mijn dochter woont in Utrecht, ik woon
   in Houten"), else the first one named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

import jellyfish

from ..classificatie.policy import plaats_tokens
from .spelling import een_stap, woordfrequentie

if TYPE_CHECKING:
    from ..classificatie.policy import Policy

GEWOON_WOORD_VANAF = 100  # frequency in the Dutch list from which a word is ordinary Dutch (names sit at 50)
MIN_LETTERS_FUZZY = 5  # shorter names are only read when written exactly

# Words after which a common-word name is meant as a place ("ik woon in Houten").
PLAATS_SIGNALEN = frozenset(
    "in te uit naar bij nabij vlakbij dichtbij richting gemeente dorp stad plaats woonplaats buurtschap "
    "wijk kern omgeving".split()
)
# Words before a name that make it a thing or a street, not a place ("een houten kast", "aan de Uitweg").
LIDWOORDEN = frozenset("de het een mijn m n je jouw uw zijn haar onze ons die deze dat dit geen".split())
# Words that may stand between a name and what tells which one is meant ("Vianen, in Noord-Brabant").
VERBINDERS = frozenset(
    "in bij nabij vlakbij dichtbij naast onder gemeente de het provincie prov regio buurt van omgeving te dat "
    "ligt is zit".split()
)
WOON_SIGNALEN = frozenset({"woon", "woonachtig", "woonplaats", "adres"})


@dataclass(frozen=True)
class Plaats:
    gemeente: Optional[str]  # gemeente of the region, or None
    plaats: Optional[str]  # canonical name of the place as in the gazetteer (in or outside the region)
    buiten: Optional[str]  # the real gemeente when the place lies outside the region
    dubbel: bool  # the name also exists outside the region: confirm with the inwoner


@dataclass(frozen=True)
class PlaatsNaam:
    """One name of the gazetteer."""

    naam: str  # as written in the policy
    tokens: Tuple[str, ...]
    gemeente: Optional[str]  # region gemeente
    buiten: Optional[str]  # real gemeente outside the region
    dubbel: bool  # region name that also exists elsewhere
    gewoon: bool  # every word of the name is an ordinary Dutch word
    klank: str  # folded spelling, for typo tolerance
    letters: int

    def max_afstand(self, getypt: int) -> int:
        """Edits forgiven: 1 for names of 5-7 letters, 2 from 8 (and only if the typed word is as long)."""
        if self.letters < MIN_LETTERS_FUZZY or getypt < MIN_LETTERS_FUZZY:
            return -1
        return 1 if min(self.letters, getypt) <= 7 else 2


# -- the Dutch word list -----------------------------------------------------------------------------


def is_woord(token: str) -> bool:
    """In the Dutch word list at all (also rare words and names): never corrected into a place."""
    return woordfrequentie(token) > 0


def is_gewoon_woord(token: str) -> bool:
    """An ordinary Dutch word ("houten", "uitweg", "best"), not only a name."""
    return woordfrequentie(token) >= GEWOON_WOORD_VANAF


@lru_cache(maxsize=4096)
def lijkt_op_gewoon_woord(token: str) -> bool:
    """One typo away from an ordinary Dutch word ("ennen" for "kennen"): then maybe not a place."""
    return any(woordfrequentie(k) >= GEWOON_WOORD_VANAF for k in een_stap(token) if k != token)


def klank(tekst: str) -> str:
    """Dutch spelling variants folded together: ij/y/ei, c/k, au/ou, dt/t, double letters."""
    s = tekst.replace(" ", "").replace("ij", "ei").replace("y", "ei")
    s = re.sub(r"c(?!h)", "k", s)
    s = s.replace("ph", "f").replace("th", "t").replace("dt", "t").replace("au", "ou")
    return re.sub(r"(.)\1+", r"\1", s)


# -- the gazetteer -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    namen: Dict[Tuple[str, ...], PlaatsNaam]
    per_letter: Dict[str, Tuple[PlaatsNaam, ...]]  # fuzzy candidates by first letter of `klank`
    max_tokens: int
    # dubbele naam -> words that point elsewhere -> that other gemeente
    hints: Dict[Tuple[str, ...], Dict[Tuple[str, ...], str]]
    elders: Dict[Tuple[str, ...], FrozenSet[str]]  # dubbele naam -> the other gemeenten
    regio_gemeenten: FrozenSet[Tuple[str, ...]]


def _naam(naam: str, gemeente: Optional[str], buiten: Optional[str], dubbel: bool) -> PlaatsNaam:
    tokens = plaats_tokens(naam)
    return PlaatsNaam(
        naam=naam,
        tokens=tokens,
        gemeente=gemeente,
        buiten=buiten,
        dubbel=dubbel,
        gewoon=all(is_gewoon_woord(t) for t in tokens),
        klank=klank("".join(tokens)),
        letters=len("".join(tokens)),
    )


def gazetteer(policy: Policy) -> List[PlaatsNaam]:
    """Every name of the policy's gazetteer, region names first (also used for the spaCy ruler)."""
    return list(_index(policy).namen.values())


def kwalificaties(policy: Policy) -> List[Tuple[str, str, str]]:
    """(dubbele naam, words that point elsewhere, that gemeente): "Vianen" + "Noord-Brabant" -> Land van Cuijk."""
    idx = _index(policy)
    uit: List[Tuple[str, str, str]] = []
    for naam, anderen in policy.dubbele_namen.items():
        for gemeente, woorden in anderen.items():
            elders = [gemeente, *woorden] + [p.naam for p in idx.namen.values() if p.buiten == gemeente]
            uit += [(naam, w, gemeente) for w in dict.fromkeys(elders)]
    return uit


def _index(policy: Policy) -> _Index:
    gemeenten = tuple((g, tuple(d.plaatsen)) for g, d in policy.gemeenten.items())
    buiten = tuple((g, tuple(p)) for g, p in policy.plaatsen_buiten_regio.items())
    dubbel = tuple((n, tuple((g, tuple(w)) for g, w in d.items())) for n, d in policy.dubbele_namen.items())
    return _bouw_index(gemeenten, buiten, dubbel)


@lru_cache(maxsize=8)
def _bouw_index(
    gemeenten: Tuple[Tuple[str, Tuple[str, ...]], ...],
    buiten: Tuple[Tuple[str, Tuple[str, ...]], ...],
    dubbel: Tuple[Tuple[str, Tuple[Tuple[str, Tuple[str, ...]], ...]], ...],
) -> _Index:
    dubbel_sleutels = {plaats_tokens(n) for n, _ in dubbel}
    namen: Dict[Tuple[str, ...], PlaatsNaam] = {}
    for gemeente, plaatsen in gemeenten:
        for naam in (gemeente, *plaatsen):
            sleutel = plaats_tokens(naam)
            namen.setdefault(sleutel, _naam(naam, gemeente, None, sleutel in dubbel_sleutels))
    for gemeente, plaatsen in buiten:
        for naam in (gemeente, *plaatsen):
            namen.setdefault(plaats_tokens(naam), _naam(naam, None, gemeente, False))  # region names win
    per_letter: Dict[str, List[PlaatsNaam]] = {}
    for p in namen.values():
        if p.letters >= MIN_LETTERS_FUZZY:
            per_letter.setdefault(p.klank[0], []).append(p)
    hints: Dict[Tuple[str, ...], Dict[Tuple[str, ...], str]] = {}
    elders: Dict[Tuple[str, ...], FrozenSet[str]] = {}
    for naam, anderen in dubbel:
        sleutel = plaats_tokens(naam)
        hints[sleutel] = {plaats_tokens(w): g for g, woorden in anderen for w in (g, *woorden)}
        elders[sleutel] = frozenset(g for g, _ in anderen)
    return _Index(
        namen=namen,
        per_letter={k: tuple(v) for k, v in per_letter.items()},
        max_tokens=max((len(k) for k in namen), default=1),
        hints=hints,
        elders=elders,
        regio_gemeenten=frozenset(plaats_tokens(g) for g, _ in gemeenten),
    )


# -- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Woord:
    vorm: str  # folded
    tekst: str  # as written
    begin: int
    eind: int


@dataclass(frozen=True)
class _Treffer:
    begin: int  # word index
    eind: int  # word index, exclusive
    naam: PlaatsNaam
    afstand: int  # 0 = written exactly
    twijfel: bool = False  # could as well be a typo of an ordinary word: needs a sign, like rule 2


def _woorden(tekst: str) -> List[_Woord]:
    uit = []
    for m in re.finditer(r"[^\W_]+", tekst):
        for vorm in plaats_tokens(m.group(0)):  # one, except for letters that fold into two
            uit.append(_Woord(vorm, m.group(0), m.start(), m.end()))
    return uit


def _zinsbegin(tekst: str, woorden: Sequence[_Woord], i: int) -> bool:
    if i == 0:
        return True
    tussen = tekst[woorden[i - 1].eind : woorden[i].begin]
    return bool(re.search(r"[.!?:;\n]", tussen))


def _als_plaats_bedoeld(tekst: str, woorden: Sequence[_Woord], t: _Treffer, idx: _Index) -> bool:
    """Rule 2: a name that is also an ordinary word needs a sign that a place is meant."""
    if not (t.naam.gewoon or t.twijfel):
        return True
    if t.begin == 0 and t.eind == len(woorden):
        return True  # the whole answer is the name
    vorige = woorden[t.begin - 1].vorm if t.begin > 0 else None
    if vorige in LIDWOORDEN:
        return False
    if vorige in PLAATS_SIGNALEN:
        return True
    if not woorden[t.begin].tekst[:1].isupper():
        return False
    if not _zinsbegin(tekst, woorden, t.begin):
        return True  # "Wij wonen sinds kort in de buurt van Best" / "... wonen Houten"
    # capitalised at the start: only as "Houten bij Utrecht", "Best, Noord-Brabant"
    rest = [w.vorm for w in woorden[t.eind :]]
    while rest and rest[0] in VERBINDERS:
        rest.pop(0)
    return bool(rest) and (tuple(rest) in idx.namen or any(tuple(rest) in h for h in idx.hints.values()))


def _exacte_treffers(woorden: Sequence[_Woord], idx: _Index) -> List[_Treffer]:
    treffers = []
    vormen = [w.vorm for w in woorden]
    for i in range(len(vormen)):
        for lengte in range(min(idx.max_tokens, len(vormen) - i), 0, -1):
            naam = idx.namen.get(tuple(vormen[i : i + lengte]))
            if naam:
                treffers.append(_Treffer(i, i + lengte, naam, 0))
    return treffers


def _fuzzy_treffers(woorden: Sequence[_Woord], bezet: Set[int], idx: _Index) -> List[_Treffer]:
    """Rule 3: typos in words that are not Dutch words."""
    vormen = [w.vorm for w in woorden]
    kandidaten: List[_Treffer] = []
    for i in range(len(vormen)):
        for lengte in range(1, min(idx.max_tokens, len(vormen) - i) + 1):
            stuk = vormen[i : i + lengte]
            if any(j in bezet for j in range(i, i + lengte)):
                break
            onbekend = [w for w in stuk if not is_woord(w)]
            if not onbekend or any(w.isdigit() for w in onbekend):
                continue
            getypt = len("".join(stuk))
            sleutel = klank("".join(stuk))
            if getypt < MIN_LETTERS_FUZZY or len(sleutel) < 3:
                continue
            beste: List[Tuple[int, PlaatsNaam]] = []
            for naam in idx.per_letter.get(sleutel[0], ()):
                grens = naam.max_afstand(getypt)
                if grens < 0 or abs(len(naam.klank) - len(sleutel)) > grens:
                    continue
                if any(is_woord(w) and w not in naam.tokens for w in stuk):
                    continue  # an ordinary word is never part of a typo
                afstand = jellyfish.damerau_levenshtein_distance(sleutel, naam.klank)
                if afstand <= grens:
                    beste.append((afstand, naam))
            if not beste:
                continue
            laagste = min(a for a, _ in beste)
            doelen = {(n.gemeente, n.buiten) for a, n in beste if a == laagste}
            if len(doelen) > 1:
                continue  # as close to two different gemeenten: no guess
            naam = min((n for a, n in beste if a == laagste), key=lambda n: n.gemeente is None)
            twijfel = any(lijkt_op_gewoon_woord(w) for w in onbekend)
            kandidaten.append(_Treffer(i, i + lengte, naam, laagste, twijfel))
    return kandidaten


def _kies(treffers: List[_Treffer], bezet: Set[int]) -> List[_Treffer]:
    """Non-overlapping matches: exact before typo, longest first, then the first one."""
    gekozen = []
    for t in sorted(treffers, key=lambda t: (t.afstand > 0, -(t.eind - t.begin), t.afstand, t.begin)):
        if any(j in bezet for j in range(t.begin, t.eind)):
            continue
        gekozen.append(t)
        bezet.update(range(t.begin, t.eind))
    return sorted(gekozen, key=lambda t: t.begin)


def _woont_er(woorden: Sequence[_Woord], t: _Treffer) -> bool:
    voor = [w.vorm for w in woorden[max(0, t.begin - 4) : t.begin]]
    if any(w in WOON_SIGNALEN for w in voor):
        return True
    return any(a in {"wij", "we"} and b == "wonen" for a, b in zip(voor, voor[1:], strict=False))


def _na(woorden: Sequence[_Woord], t: _Treffer) -> Tuple[int, List[str]]:
    """Index of the first word after `t` and its connecting words (at most four)."""
    j = t.eind
    verbinders: List[str] = []
    while j < len(woorden) and woorden[j].vorm in VERBINDERS and len(verbinders) < 4:
        verbinders.append(woorden[j].vorm)
        j += 1
    return j, verbinders


def _hint_op(woorden: Sequence[_Woord], j: int, hints: Dict[Tuple[str, ...], str]) -> Optional[str]:
    vormen = tuple(w.vorm for w in woorden)
    for hint, gemeente in sorted(hints.items(), key=lambda h: -len(h[0])):
        if vormen[j : j + len(hint)] == hint:
            return gemeente
    return None


def _uitkomst(woorden: Sequence[_Woord], t: _Treffer, treffers: List[_Treffer], idx: _Index) -> Plaats:
    """Rule 4: the words right after a name may say which place of that name is meant."""
    j, verbinders = _na(woorden, t)
    volgende = next((o for o in treffers if o.begin == j), None)
    naam = t.naam
    if naam.gemeente is not None:
        if naam.dubbel:
            elders = _hint_op(woorden, j, idx.hints[naam.tokens])
            if elders is None:  # another place in the answer lies in the other gemeente of that name
                elders = next(
                    (o.naam.buiten for o in treffers if o is not t and o.naam.buiten in idx.elders[naam.tokens]), None
                )
            if elders:
                return Plaats(gemeente=None, plaats=naam.naam, buiten=elders, dubbel=False)
            if volgende:  # "Vianen bij Utrecht", "Schalkwijk, gemeente Houten": ours
                return Plaats(gemeente=naam.gemeente, plaats=naam.naam, buiten=None, dubbel=False)
        return Plaats(gemeente=naam.gemeente, plaats=naam.naam, buiten=None, dubbel=naam.dubbel)
    # outside, unless the inwoner adds a gemeente of the region: "Achterveld in IJsselstein"
    if (
        volgende
        and volgende.naam.gemeente is not None
        and volgende.naam.tokens in idx.regio_gemeenten
        and {"in", "gemeente"} & set(verbinders)
    ):
        return Plaats(gemeente=volgende.naam.gemeente, plaats=volgende.naam.naam, buiten=None, dubbel=False)
    return Plaats(gemeente=None, plaats=naam.naam, buiten=naam.buiten, dubbel=False)


def lees_plaats(text: str, policy: Policy) -> Optional[Plaats]:
    """The place named in `text` (see the module docstring for the rules), or None."""
    woorden = _woorden(text or "")
    if not woorden:
        return None
    idx = _index(policy)
    exact = [t for t in _exacte_treffers(woorden, idx) if _als_plaats_bedoeld(text, woorden, t, idx)]
    bezet: Set[int] = set()
    treffers = _kies(exact, bezet)
    typos = [t for t in _fuzzy_treffers(woorden, bezet, idx) if _als_plaats_bedoeld(text, woorden, t, idx)]
    treffers = sorted(treffers + _kies(typos, bezet), key=lambda t: t.begin)
    # "in de provincie Utrecht" names a province, not the city; it may still tell which Vianen is meant
    hoofd = [t for t in treffers if not (t.begin > 0 and woorden[t.begin - 1].vorm in {"provincie", "prov"})]
    if not hoofd:
        return None
    t = next((t for t in hoofd if _woont_er(woorden, t)), hoofd[0])
    return _uitkomst(woorden, t, treffers, idx)
