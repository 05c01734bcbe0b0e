"""The command line of cablelab.

    python -m cablelab summary [PATH]          a readable summary of a document (default: telegram 1379)
    python -m cablelab collect DIR [--out CSV] gather students' answer files into one table
    python -m cablelab export {assets,slides,site,student,all}   offline decks, site, student copies
    python -m cablelab guide [--write] [--html FILE]            the teacher's guide and lesson plans

Each command has its own ``--help``.
"""

from __future__ import annotations

import argparse
import sys

from cablelab.errors import CableFormatError


def _summary(args: argparse.Namespace) -> int:
    from cablelab.cable import load, read
    from cablelab.report import summary

    cable = read(args.path) if args.path else load()
    print(summary(cable))
    return 0


def _collect(args: argparse.Namespace) -> int:
    from cablelab.answers import collect_command

    return collect_command(args.folder, out=args.out)


def _delegate(name: str, argv: list[str]) -> int:
    """`export` and `guide` are whole command lines of their own modules: hand them the rest."""
    import importlib

    return importlib.import_module(f"cablelab.{name}").main(argv)


DELEGATED = {"export": "offline slides, the site and the student copies (in a checkout)",
             "guide": "the teacher's guide with every lesson's minute plan"}


def parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per task."""
    top = argparse.ArgumentParser(prog="python -m cablelab", description=__doc__.splitlines()[0],
                                  epilog="Run `python -m cablelab COMMAND --help` for a command's options.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summary = commands.add_parser("summary", help="a readable summary of a document")
    summary.add_argument("path", nargs="?", help="a document (default: the built-in telegram 1379)")
    summary.set_defaults(run=_summary)
    collect = commands.add_parser("collect", help="gather students' answer files into one table")
    collect.add_argument("folder", help="folder of <student>.json answer files")
    collect.add_argument("--out", help="CSV to write (default: FOLDER/answers.csv)")
    collect.set_defaults(run=_collect)
    for name, text in DELEGATED.items():
        commands.add_parser(name, help=text)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DELEGATED:
        return _delegate(argv[0], argv[1:])
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CableFormatError, FileNotFoundError) as err:
        print(f"cablelab: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
