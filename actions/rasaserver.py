"""Start Rasa with its secrets from the environment: `python -m actions.rasaserver <rasa run args>`.

`rasa run --auth-token SECRET` shows the secret to everyone who can list processes. This module
reads the token from `LEKSTROOM_RASA_TOKEN` and hands it to Rasa inside the process, so the command
line shows only the other arguments. It also makes Rasa listen on 127.0.0.1 unless an `--interface`
is given: the web app's relay and the load balancer are the ways in, not Rasa's own port. And it
keeps the inwoner's words out of Rasa's logs (`rasa_patches.geen_tekst_in_logs`).
"""

from __future__ import annotations

import os
import sys
from typing import List

TOKEN_ENV = "LEKSTROOM_RASA_TOKEN"


def rasa_argv(args: List[str], token: str) -> List[str]:
    """The argument list for `rasa`, with the interface defaulted and the token added."""
    argv = ["rasa", *args]
    if "run" in args and not any(a in ("-i", "--interface") for a in args):
        argv += ["--interface", "127.0.0.1"]
    if token and "--auth-token" not in args:
        argv += ["--auth-token", token]
    return argv


def main() -> None:
    from rasa.__main__ import main as rasa_main

    from .rasa_patches import geen_tekst_in_logs

    geen_tekst_in_logs()
    sys.argv = rasa_argv(sys.argv[1:], os.environ.get(TOKEN_ENV, ""))
    rasa_main()


if __name__ == "__main__":
    main()
