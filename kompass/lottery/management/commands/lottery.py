"""`manage.py lottery select|verify|invite ...` — a thin wrapper over kompass.lottery.cli.main."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Citizens' panel lottery: select | verify | invite (see `lottery select --help`)."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*", help="subcommand and its options")

    def run_from_argv(self, argv):
        # argv = [prog, "lottery", subcommand, ...]: pass everything after "lottery" through untouched so that
        # the subcommand's own options (--pool, --seed, ...) are parsed by kompass.lottery.cli.
        from kompass.lottery.cli import main

        code = main(argv[2:])
        if code:
            raise SystemExit(code)

    def handle(self, *args, **options):
        from kompass.lottery.cli import main

        code = main(list(args))
        if code:
            raise CommandError(f"lottery exited with status {code}", returncode=code)
