"""Comment exports of a text consultation as CSV or XLSX bytes (through core.tabular: formula guard built in)."""

from django.utils.translation import gettext as _

from kompass.core import tabular


def comments_file(columns: list[str], rows: list[list], fmt: str) -> tuple[bytes, str]:
    return tabular.write_table("xlsx" if fmt != "csv" else "csv", columns, rows, sheet=_("Comments"))
