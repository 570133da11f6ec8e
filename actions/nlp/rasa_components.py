"""Rasa NLU components that use the project's spaCy pipeline (listed in bot/config.yml).

- `LekstroomEntityExtractor`: turns the pipeline's gazetteer entities (plaats, rol, voorziening)
  and lexicon spans (resultaatgebied, omstandigheid, kenmerk, onderwerp) into Rasa entities whose
  value is the code; negated mentions ("geen schulden") are left out.
- `LekstroomVeiligheid`: when the inwoner's words show danger to self or others, the intent
  becomes `danger`, whatever the classifier thought. Safety does not depend on a statistical
  model having seen similar sentences.
Loaded inside the Rasa server only (this module imports Rasa).
"""

from __future__ import annotations

from typing import Any, Dict, List, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from .. import rasa_patches  # noqa: F401  (faster action-result validation)
from .components import SPAN_KEY

GAZETTEER_LABELS = ("plaats", "rol", "voorziening")
NEVER_NEGATED = {("kenmerk", "gevaar")}  # safety first: "ik denk niet aan zelfmoord" still gets help lines
DANGER_INTENT = "danger"


def extract(doc: Any) -> List[Dict[str, Any]]:
    """Entities of one spaCy doc, without negated ones and without spans inside a same-code span."""
    found = []
    for span in list(doc.ents) + list(doc.spans.get(SPAN_KEY, [])):
        label = span.label_
        if label not in GAZETTEER_LABELS and span not in doc.spans.get(SPAN_KEY, []):
            continue
        code = span.ent_id_ if label in GAZETTEER_LABELS else span.kb_id_
        if span._.ontkend and (label, code) not in NEVER_NEGATED:
            continue
        found.append({"entity": label, "value": code or span.text, "start": span.start_char, "end": span.end_char})
    kept = []
    for e in found:
        inside = any(
            o is not e
            and o["entity"] == e["entity"]
            and o["value"] == e["value"]
            and o["start"] <= e["start"]
            and e["end"] <= o["end"]
            and (o["end"] - o["start"]) > (e["end"] - e["start"])
            for o in found
        )
        duplicate = any(k["entity"] == e["entity"] and k["start"] == e["start"] and k["end"] == e["end"] for k in kept)
        if not inside and not duplicate:
            kept.append(e)
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


def _doc(message: Message, model: SpacyModel) -> Any:
    return message.get(SPACY_DOCS[TEXT]) or model.model(message.get(TEXT) or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP")
class LekstroomEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LekstroomEntityExtractor:
        return cls()

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            if not message.get(TEXT):
                continue
            entities = self.add_extractor_name(extract(_doc(message, model)))
            for e in entities:
                e["confidence_entity"] = 1.0
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LekstroomVeiligheid(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LekstroomVeiligheid:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            danger = any(e.get("entity") == "kenmerk" and e.get("value") == "gevaar" for e in message.get(ENTITIES, []))
            if not danger:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != DANGER_INTENT]
            message.set(INTENT, {"name": DANGER_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": DANGER_INTENT, "confidence": 1.0}] + ranking, add_to_output=True)
        return messages
