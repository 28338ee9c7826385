"""The `saldo` console script: Django's management commands, with hyphenated names.

`saldo import-members FILE` runs the `import_members` command; everything else Django offers
(`saldo migrate`, `saldo createsuperuser`) passes through unchanged.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saldo.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["saldo", *argv])
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
