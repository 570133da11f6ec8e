"""The inwoner's latest message as the form reads it: text, intent, entities and the known slots.

Built from a rasa_sdk `Tracker` by the form and the actions; the readers (`lezers.py`), the
interruptions (`onderbreking.py`) and the safety check (`veiligheid.py`) take it instead of the
tracker, so they can be tested with a plain `Bericht`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..nlp.lexicon import fold

MAX_LENGTE = 1500
_JA = (
    r"^\s*(ja+|jawel|ok(e|é|ay)?|oke|prima|goed|is goed|dat is goed|akkoord|zeker|klopt|prima hoor|ja hoor|yes|"
    r"jazeker|jep|yep|jup|ja graag|graag|dat mag|mag|doe maar|vind ik goed|dat vind ik goed|natuurlijk|uiteraard)\b"
)
_JA_WOORDEN = frozenset(
    "ja jaa jaaa jawel jazeker ok oke okay okey prima goed klopt zeker hoor dat is akkoord yes jep yep jup "
    "precies inderdaad helemaal correct graag doe maar mag vind ik het".split()
)
_NEE = r"^\s*(nee+|neen|nope|nah|liever niet|niet|klopt niet|dat klopt niet|nee hoor|ik wil (het )?niet|geen)\b"


@dataclass
class Bericht:
    tekst: str
    intent: Optional[str] = None
    zekerheid: float = 0.0
    entities: List[Dict[str, Any]] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    te_lang: bool = False

    @classmethod
    def uit(cls, tracker: Any, value: Any = None) -> Bericht:
        latest = tracker.latest_message or {}
        ruw = str(latest.get("text") if value is None or not isinstance(value, str) else value)
        intent = latest.get("intent") or {}
        return cls(
            tekst=" ".join(ruw.split())[:MAX_LENGTE],
            intent=intent.get("name"),
            zekerheid=float(intent.get("confidence") or 0.0),
            entities=list(latest.get("entities") or []),
            slots=dict(tracker.current_slot_values()),
            te_lang=len(ruw) > MAX_LENGTE,
        )

    @property
    def gevouwen(self) -> str:
        return fold(self.tekst)

    @property
    def knop(self) -> bool:
        """A button's payload (or someone typing one): "/affirm", "/correct{...}"."""
        return self.tekst.startswith("/")

    @property
    def is_ja(self) -> bool:
        return self.intent == "affirm" or bool(re.search(_JA, self.gevouwen))

    @property
    def alleen_ja(self) -> bool:
        """The whole message is a yes ("ja", "ja hoor, dat klopt"), with nothing else in it."""
        woorden = re.findall(r"\w+", self.gevouwen)
        return bool(woorden) and all(w in _JA_WOORDEN for w in woorden)

    @property
    def is_nee(self) -> bool:
        return self.intent == "deny" or bool(re.search(_NEE, self.gevouwen))

    @property
    def weet_niet(self) -> bool:
        return self.intent == "dont_know" or bool(
            re.fullmatch(
                r"\W*(ik )?(weet (ik )?(het )?(niet|nie)|geen idee|kweenie|idk|weet niet|geen flauw idee)\W*",
                self.gevouwen,
            )
        )

    def entiteiten(self, naam: str) -> List[str]:
        return [str(e.get("value")) for e in self.entities if e.get("entity") == naam and e.get("value")]

    def sleutel(self) -> str:
        """The text as compared for "the same text again"."""
        return self.gevouwen.strip(" .!?")
