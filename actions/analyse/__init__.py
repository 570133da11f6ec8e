"""Analysis of the conversation without the inwoner's words: the per-question funnel, not-understood
rates, outcomes and intake times (from Rasa's event stream), and the consultants' agreement with
what the assistant recorded.

`codes.py` turns Rasa events into codes and counts (pure); `verwerker.py` writes them per
conversation; `broker.py` is the event broker Rasa calls (embedded: in-process into the project's
database; server: RabbitMQ, read by `lekstroom analyse consument`); `cijfers.py` computes the
figures for the page and the API; `overeenstemming.py` records the consultants' decisions per fact.
"""
