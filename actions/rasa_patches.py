"""Speed fix for Rasa 3.6 inside the Rasa server: validate action server responses with a
validator built once.

Rasa checks every action server response with `jsonschema.validate(result, schema)`, and that
call first re-checks the (large, constant) schema against the JSON Schema meta-schema. Profiling a
whole intake showed three quarters of Rasa's time per message in that re-check. The response is
still validated exactly as before, against the same schema, and errors read the same.
Imported by the modules Rasa loads from this project (NLU components, tracker store, channels).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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
