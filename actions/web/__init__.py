"""The web app (port 8000): the inwoner's web chat with its relay to Rasa, the consultant review pages,
the JSON API and /health.

Where to look: `config.py` (settings and the typed app keys), `routes.py` (every route, one table),
`app.py` (`create_app`: middlewares, routes, the shared HTTP client), then the handlers in `chat.py`,
`views.py`, `api.py` and `health.py`. Handlers call `ReviewService` and never query the database.
"""
