"""Action server package of the Lekstroom Wmo intake assistant.

- `classificatie`: the pure classification core (afwegingskader as data + `classify()`).
- `store`: the draft queue (SQLAlchemy, SQLite or PostgreSQL) with audit log and privacy rules.
- `nlp`: the project's Dutch spaCy pipeline and the Rasa components that use it.
- `intake`: the custom actions and form validation that the Rasa assistant calls.
"""
