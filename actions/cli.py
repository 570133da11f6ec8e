"""The `lekstroom` command: everyday tasks of developers and administrators.

lekstroom nlp build              build the Dutch spaCy pipeline into models/nl_lekstroom
lekstroom model ensure           train only when the model is missing or out of date
lekstroom model train [--nlu]    train (full, or NLU only)
lekstroom model evaluate         held-out evaluation, reports in reports/ (see README)
lekstroom model correcties       consultants' corrections -> candidate NLU examples (for review)
lekstroom gebruiker maken NAAM --rol consultant --gemeente Houten [--gemeente ...]
                                 make a review account (password from LEKSTROOM_WACHTWOORD or asked)
lekstroom token maken NAAM       make an API bearer token for that account (shown once; expires after
                                 LEKSTROOM_TOKEN_DAGEN days, default 90)
lekstroom token lijst [NAAM]     list tokens (account, description, made, expires), never the token itself
lekstroom token intrekken NAAM [--omschrijving X]   revoke every token of NAAM (or only those described X)
lekstroom token intrekken --token TOKEN             revoke one token (read from LEKSTROOM_TOKEN if not given)
lekstroom web                    run the web app (port 8000)
lekstroom db upgrade             apply the database migrations
lekstroom bewaartermijn          delete transcripts and Rasa conversations older than the retention period
lekstroom verwijder-gesprek ID   delete every trace of one conversation
lekstroom analyse consument      read the analysis codes of every Rasa server from RabbitMQ (server path)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, List, Optional

from .store import DEFAULT_URL


def _inzet() -> Any:
    """The policy files this deployment serves (LEKSTROOM_POLICY, default lekstroom)."""
    from .classificatie.inzet import STANDAARD, cached_inzet

    return cached_inzet(os.environ.get("LEKSTROOM_POLICY", STANDAARD))


def _db_url(args: argparse.Namespace) -> str:
    return args.database or os.environ.get("LEKSTROOM_DATABASE_URL", DEFAULT_URL)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lekstroom", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="database-URL (standaard: LEKSTROOM_DATABASE_URL of SQLite in var/)")
    sub = parser.add_subparsers(dest="command", required=True)
    nlp = sub.add_parser("nlp").add_subparsers(dest="sub", required=True)
    nlp.add_parser("build")
    model = sub.add_parser("model").add_subparsers(dest="sub", required=True)
    model.add_parser("ensure")
    train = model.add_parser("train")
    train.add_argument("--nlu", action="store_true", help="alleen het NLU-deel trainen")
    evaluate = model.add_parser("evaluate")
    evaluate.add_argument("--model", help="model om te evalueren (standaard models/lekstroom.tar.gz)")
    evaluate.add_argument("--report-dir", default="reports/nlu")
    cv = model.add_parser("cross-validate")
    cv.add_argument("--folds", type=int, default=5)
    cv.add_argument("--report-dir", default="reports/nlu-cv")
    corr = model.add_parser("correcties")
    corr.add_argument("--out", default="reports/kandidaten/nlu_correcties.yml")
    gebruiker = sub.add_parser("gebruiker").add_subparsers(dest="sub", required=True)
    maken = gebruiker.add_parser("maken")
    maken.add_argument("naam")
    maken.add_argument("--rol", default="consultant", choices=["consultant", "admin"])
    maken.add_argument("--gemeente", action="append", default=[])
    token = sub.add_parser("token").add_subparsers(dest="sub", required=True)
    token_maken = token.add_parser("maken")
    token_maken.add_argument("naam")
    token_maken.add_argument("--omschrijving", default="api")
    token_lijst = token.add_parser("lijst")
    token_lijst.add_argument("naam", nargs="?")
    intrekken = token.add_parser("intrekken")
    intrekken.add_argument("naam", nargs="?")
    intrekken.add_argument("--omschrijving")
    intrekken.add_argument(
        "--token", action="store_true", help="één token intrekken; het token uit LEKSTROOM_TOKEN of gevraagd"
    )
    sub.add_parser("domein", help="bot/domain/intake.yml opnieuw maken uit de vragentabel")
    sub.add_parser("web")
    db = sub.add_parser("db").add_subparsers(dest="sub", required=True)
    db.add_parser("upgrade")
    sub.add_parser("bewaartermijn")
    delete = sub.add_parser("verwijder-gesprek")
    delete.add_argument("conversation_id")
    analyse = sub.add_parser("analyse").add_subparsers(dest="sub", required=True)
    consument = analyse.add_parser("consument", help="analysecodes van RabbitMQ in de database schrijven")
    consument.add_argument("--amqp-url", help="standaard LEKSTROOM_RABBITMQ_URL of amqp://guest:guest@127.0.0.1:5672/")
    consument.add_argument("--wachtrij", help="standaard LEKSTROOM_ANALYSE_WACHTRIJ of lekstroom_analyse")
    args = parser.parse_args(argv)

    if args.command == "domein":
        from .intake.domein import schrijf

        print(f"geschreven: {schrijf()}")
        return 0
    if args.command == "nlp":
        from .nlp.build import build

        print(f"spaCy-pijplijn gebouwd in {build()}")
    elif args.command == "model":
        from .nlp import modelbeheer

        if args.sub == "ensure":
            modelbeheer.ensure_model()
        elif args.sub == "train":
            modelbeheer.train(nlu_only=args.nlu)
        elif args.sub == "evaluate":
            from pathlib import Path

            from .nlp import lezerevaluatie
            from .nlp.evaluatie import evaluate_heldout

            uitkomst = lezerevaluatie.heldout()
            print(f"geschreven: {lezerevaluatie.rapport(uitkomst, Path(args.report_dir), 'Vraaglezers: held-out')}")
            return evaluate_heldout(model=args.model, report_dir=args.report_dir)
        elif args.sub == "cross-validate":
            from pathlib import Path

            from .nlp import lezerevaluatie
            from .nlp.evaluatie import cross_validate

            cv = lezerevaluatie.kruisvalidatie()
            titel = "Vraaglezers: kruisvalidatie (een auteur weggelaten)"
            print(f"geschreven: {lezerevaluatie.rapport(cv, Path(args.report_dir), titel)}")
            return cross_validate(folds=args.folds, report_dir=args.report_dir)
        elif args.sub == "correcties":
            from pathlib import Path

            from .nlp.correcties import export_candidates
            from .store import DraftStore

            n = export_candidates(DraftStore.from_url(_db_url(args)), _inzet().overzicht, Path(args.out))
            print(f"{n} kandidaatvoorbeeld(en) geschreven naar {args.out}. Beoordeel ze voor u ze toevoegt.")
    elif args.command in ("gebruiker", "token"):
        return _accounts(args)
    elif args.command == "web":
        from .web.app import main as web_main

        web_main()
    elif args.command == "db":
        from .store.migrate import upgrade

        upgrade(_db_url(args))
        print("Database bijgewerkt.")
    elif args.command == "bewaartermijn":
        from .store import DraftStore
        from .store.trackers import verwijder_stille_gesprekken

        # one store for every served region: the shortest retention of their files
        dagen = min(p.privacy.bewaartermijn_dagen for p in _inzet().beleid)
        store = DraftStore.from_url(_db_url(args))
        n = store.purge_transcripts(dagen)
        g = verwijder_stille_gesprekken(store.engine, dagen)
        print(f"{n} transcript(en) en {g} gesprek(ken) in Rasa ouder dan {dagen} dagen verwijderd.")
    elif args.command == "verwijder-gesprek":
        from .analyse.verwerker import verwijder_gesprek as verwijder_analyse
        from .store import DraftStore
        from .store.trackers import verwijder_gesprek

        store = DraftStore.from_url(_db_url(args))
        found = store.delete_conversation(args.conversation_id)
        with store.engine.begin() as conn:  # the analysis keeps only anonymous counts of it
            found = verwijder_analyse(conn, args.conversation_id) > 0 or found
        found = verwijder_gesprek(store.engine, args.conversation_id) > 0 or found
        print("Gesprek verwijderd." if found else "Geen gesprek met dat id gevonden.")
    elif args.command == "analyse":
        if args.database:
            os.environ["LEKSTROOM_DATABASE_URL"] = args.database
        from .analyse.consument import main as consument_main

        consument_main(args.amqp_url, args.wachtrij)
    return 0


def _accounts(args: argparse.Namespace) -> int:
    import getpass

    from .store import DraftStore
    from .store.accounts import TOKENDUUR_DAGEN, AccountError, AccountStore

    dagen = os.environ.get("LEKSTROOM_TOKEN_DAGEN", "")
    token_dagen = int(dagen) if dagen.isdigit() and int(dagen) > 0 else TOKENDUUR_DAGEN
    accounts = AccountStore(DraftStore.from_url(_db_url(args)).engine, token_dagen=token_dagen)
    try:
        if args.command == "gebruiker":
            gemeenten = _inzet().gemeenten()
            onbekend = [g for g in args.gemeente if g not in gemeenten]
            if onbekend:
                raise AccountError(f"Onbekende gemeente(n): {', '.join(onbekend)}. Kies uit {', '.join(gemeenten)}.")
            wachtwoord = os.environ.get("LEKSTROOM_WACHTWOORD") or getpass.getpass("Wachtwoord: ")
            accounts.maak_gebruiker(args.naam, args.rol, args.gemeente, wachtwoord)
            print(f"Gebruiker '{args.naam}' ({args.rol}) gemaakt.")
        elif args.sub == "maken":
            token = accounts.maak_token(args.naam, args.omschrijving)
            print(token)
            print(f"Geldig tot {accounts.tokens(args.naam)[-1].verloopt:%d-%m-%Y %H:%M} UTC.", file=sys.stderr)
        elif args.sub == "lijst":
            for t in accounts.tokens(args.naam):
                print(
                    f"{t.gebruiker}\t{t.omschrijving}\tgemaakt {t.aangemaakt:%d-%m-%Y}\tgeldig tot {t.verloopt:%d-%m-%Y}"
                )
        elif args.token:
            waarde = os.environ.get("LEKSTROOM_TOKEN") or getpass.getpass("Token: ")
            if not accounts.trek_token_in(waarde.strip()):
                raise AccountError("Dit token bestaat niet (of is al ingetrokken).")
            print("Token ingetrokken.")
        elif args.naam:
            n = accounts.trek_tokens_in(args.naam, args.omschrijving)
            print(f"{n} token(s) van '{args.naam}' ingetrokken.")
        else:
            raise AccountError("Geef een gebruikersnaam of --token op.")
    except AccountError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
