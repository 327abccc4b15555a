"""The `kompass` console command: a thin wrapper over Django's manage.py.

`kompass load-strategy FILE` runs the management command `load_strategy`; hyphens in the first argument are
mapped to underscores so that command names read naturally on the shell.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kompass", *argv[1:]])


if __name__ == "__main__":
    main()
