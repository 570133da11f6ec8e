"""Changes to Rasa 3.6 inside the Rasa server: speed and privacy.

Speed: validate action server responses with a validator built once.

Rasa checks every action server response with `jsonschema.validate(result, schema)`, and that
call first re-checks the (large, constant) schema against the JSON Schema meta-schema. Profiling a
whole intake showed three quarters of Rasa's time per message in that re-check. The response is
still validated exactly as before, against the same schema, and errors read the same.
Imported by the modules Rasa loads from this project (NLU components, tracker store, channels).

Privacy: mask a BSN in every incoming message before Rasa stores it, and keep the inwoner's words
out of Rasa's log lines (see the bottom of this module).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Optional

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.shared.constants import DOCS_BASE_URL

from .privacy import mask_bsn


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every response
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


# -- Privacy inside Rasa ---------------------------------------------------------------------------
# A BSN the inwoner types is masked before Rasa sees the message: every channel builds a
# UserMessage, so masking its text here keeps the number out of the tracker, the slots, the summary
# the bot says back, and the tracker store. (The draft store masks again: defence in depth.)

# Rasa's own commands typed as text ("/restart", "/session_start", "/back") would silently reset or
# rewind the conversation and get no answer; the inwoner's words are read as words instead (the
# assistant's "opnieuw beginnen" asks first). Our buttons send our own intents and are untouched.
_RASA_COMMANDO = re.compile(r"^\s*/(?=(restart|session_start|back)\b)")

_user_message_init = UserMessage.__init__


def gewone_tekst(text: str) -> str:
    """The message as Rasa may see it: a BSN masked, Rasa's own commands read as words."""
    return _RASA_COMMANDO.sub("", mask_bsn(text))


def _masked_init(self: UserMessage, text: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
    _user_message_init(self, gewone_tekst(text) if isinstance(text, str) else text, *args, **kwargs)


UserMessage.__init__ = _masked_init  # type: ignore[method-assign]

# Rasa's structured log lines carry the inwoner's words under these keys (Rasa's own list of
# anonymizable keys); a message Rasa cannot process was logged whole, BSN included. The wrapper that
# starts Rasa (actions/rasaserver.py) swaps Rasa's anonymizer for this one before logging is set up.
WEGGELATEN = "[tekst weggelaten]"
# Rasa 3.6's anonymizable keys (rasa/utils/log_utils.py) plus the tracker itself.
TEKSTSLEUTELS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
        "tracker",
        "events",
    }
)


def zonder_tekst(logger: Any, method: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """A structlog processor that drops every value that can hold what the inwoner wrote."""
    for key in TEKSTSLEUTELS & event_dict.keys():
        event_dict[key] = WEGGELATEN
    return event_dict


def geen_tekst_in_logs() -> None:
    """Use `zonder_tekst` as Rasa's anonymizer; call before Rasa configures its logging."""
    from rasa.utils import log_utils

    log_utils._anonymizer = zonder_tekst  # type: ignore[assignment]
