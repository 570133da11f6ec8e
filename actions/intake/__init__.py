"""Custom actions of the intake conversation (loaded by `rasa run actions --actions actions.intake`).

- `formulier.py`: the intake form: which question comes next, validation of every answer.
- `vragen.py`: the questions as messages with their custom payload (intake_step, progress).
- `acties.py`: welcome, why-asked, safety, stop, start over, person, delete, fallback, finish.
- `interpretatie.py`: reading free answers (age, duration, type, places, areas).
- `verzamelen.py`: turning the conversation's slots into an `Intake` and submitting the draft.
"""

from . import acties, formulier, vragen  # noqa: F401  (registers the actions)
