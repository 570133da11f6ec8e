"""The project's Dutch language pipeline (spaCy) and the Rasa components that use it."""
