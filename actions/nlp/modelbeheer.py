"""Training, evaluating and tracing the assistant's model (developer workflow).

- `fingerprint()`: a hash of everything the model is trained from (training data, domain, config,
  lexicon, policy file). Stored next to the model, so anyone can see which data a model came from
  and the set-up knows when to retrain.
- `ensure_model()`: build the spaCy pipeline and train when there is no up-to-date model.
- `train()` and `evaluate()`: run Rasa in a subprocess (its own progress bars show), then record
  the metadata in `models/lekstroom.json`.
Called by `lekstroom model ...` (actions/cli.py), the run script and the test fixtures.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
MODEL_NAME = "lekstroom"
MODEL_FILE = MODELS / f"{MODEL_NAME}.tar.gz"
META_FILE = MODELS / f"{MODEL_NAME}.json"
SPACY_DIR = MODELS / "nl_lekstroom"
CONFIG = ROOT / "bot" / "config.yml"
DOMAIN = ROOT / "bot" / "domain"
DATA = ROOT / "data"
INPUTS = [DATA, DOMAIN, CONFIG, ROOT / "actions" / "nlp" / "lexicon.yml", ROOT / "actions" / "policies"]
LEZERS_FILE = MODELS / "lezers.joblib"


def _files(path: Path) -> List[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def fingerprint(inputs: Optional[List[Path]] = None) -> str:
    digest = hashlib.sha256()
    for base in inputs or INPUTS:
        for f in _files(base):
            digest.update(str(f.relative_to(ROOT)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def read_meta() -> Dict[str, Any]:
    return json.loads(META_FILE.read_text(encoding="utf-8")) if META_FILE.exists() else {}


def write_meta(meta: Dict[str, Any]) -> None:
    META_FILE.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


def rasa_env() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _rasa(*args: str) -> None:
    cmd = [sys.executable, "-m", "rasa", *args]
    subprocess.run(cmd, cwd=ROOT, env=rasa_env(), check=True)


def build_spacy(force: bool = False) -> None:
    if force or not (SPACY_DIR / "meta.json").exists():
        from .build import build

        print("Nederlandse spaCy-pijplijn bouwen…", flush=True)
        build(SPACY_DIR)


def train(
    nlu_only: bool = False, data: Optional[Path] = None, out: Path = MODELS, name: str = MODEL_NAME
) -> Dict[str, Any]:
    """Train the full model (or NLU only) and record what it was trained from."""
    build_spacy(force=True)
    started = time.monotonic()
    args = ["train"] + (["nlu"] if nlu_only else [])
    args += ["--config", str(CONFIG), "--out", str(out), "--fixed-model-name", name]
    if nlu_only:
        args += ["--nlu", str(data or DATA / "nlu"), "--domain", str(DOMAIN)]
    else:
        args += ["--data", str(data or DATA), "--domain", str(DOMAIN)]
    _rasa(*args)
    train_lezers()
    meta = {
        "model": f"{name}.tar.gz",
        "soort": "nlu" if nlu_only else "volledig",
        "getraind_op": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "trainingstijd_s": round(time.monotonic() - started, 1),
        "data_hash": fingerprint(),
        "config": CONFIG.read_text(encoding="utf-8"),
        "evaluatie": None,
    }
    if out == MODELS and name == MODEL_NAME:
        write_meta(meta)
    return meta


def train_lezers() -> None:
    """The question readers' models (areas, type, circumstances, danger, …) from data/corpus/."""
    from . import tekstmodellen

    print("Modellen van de vraaglezers trainen (data/corpus/)…", flush=True)
    started = time.monotonic()
    tekstmodellen.train()
    print(f"Vraaglezers getraind in {time.monotonic() - started:.1f} s: {LEZERS_FILE}", flush=True)


def ensure_model() -> Dict[str, Any]:
    """Train only when there is no model or the training inputs changed since it was trained."""
    build_spacy()
    meta = read_meta()
    if MODEL_FILE.exists() and meta.get("data_hash") == fingerprint() and meta.get("soort") == "volledig":
        print(f"Model is actueel ({MODEL_FILE.name}, data {meta['data_hash']}).", flush=True)
        return meta
    print("Geen actueel model: trainen (ongeveer een minuut)…", flush=True)
    return train()


def record_evaluation(scores: Dict[str, Any]) -> None:
    meta = read_meta()
    if meta:
        meta["evaluatie"] = scores
        write_meta(meta)
