"""The command line: ``python -m cablelab summary [PATH]``, ``python -m cablelab collect DIR``."""

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cablelab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="a readable summary of a cable")
    summary.add_argument("path", nargs="?", help="a document (default: the built-in telegram 1379)")
    summary.set_defaults(run=_summary)
    collect = commands.add_parser("collect", help="gather students' answer files into one table")
    collect.add_argument("folder", help="folder of <student>.json answer files")
    collect.add_argument("--out", help="CSV to write (default: FOLDER/answers.csv)")
    collect.set_defaults(run=_collect)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (CableFormatError, FileNotFoundError) as err:
        print(f"cablelab: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
