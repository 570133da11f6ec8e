"""The web app (review pages, API, health) and, later, the web chat."""
