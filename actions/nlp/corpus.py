"""The corpus of intake answers: loading `data/corpus/` (training) and `tests/nlu/heldout/` (held-out).

Each folder holds one sub-folder per question and one YAML file per author (format: data/corpus/README.md).
Called by the reader models (`tekstmodellen.py`), their evaluation and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "data" / "corpus"
HELDOUT = ROOT / "tests" / "nlu" / "heldout"


@dataclass(frozen=True)
class Antwoord:
    """One labelled answer: what was typed, to which question, by whom, and what it means."""

    vraag: str
    tekst: str
    labels: Tuple[str, ...]
    auteur: str
    persona: str = ""
    bij: Optional[str] = None
    maanden: Optional[int] = None


class CorpusFout(ValueError):
    pass


def _lees_bestand(path: Path, vraag: str) -> List[Antwoord]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusFout(f"{path}: geen geldige YAML: {exc}") from None
    auteur = str(data.get("auteur") or path.stem)
    result = []
    for i, item in enumerate(data.get("antwoorden") or []):
        if not isinstance(item, dict) or not str(item.get("tekst") or "").strip():
            raise CorpusFout(f"{path}: antwoorden[{i}]: 'tekst' ontbreekt")
        labels = item.get("labels") or []
        if not isinstance(labels, list):
            raise CorpusFout(f"{path}: antwoorden[{i}]: 'labels' moet een lijst zijn")
        maanden = item.get("maanden")
        result.append(
            Antwoord(
                vraag=vraag,
                tekst=str(item["tekst"]).strip(),
                labels=tuple(sorted({str(label) for label in labels})),
                auteur=auteur,
                persona=str(item.get("persona") or ""),
                bij=item.get("bij"),
                maanden=int(maanden) if isinstance(maanden, (int, float)) else None,
            )
        )
    return result


def laad(map_: Path = TRAINING) -> Dict[str, List[Antwoord]]:
    """Every answer under `map_`, per question (sub-folder name)."""
    corpus: Dict[str, List[Antwoord]] = {}
    if not map_.is_dir():
        return corpus
    for folder in sorted(p for p in map_.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.yml")):
            corpus.setdefault(folder.name, []).extend(_lees_bestand(path, folder.name))
    return corpus
