"""Comment exports of a text consultation as CSV or XLSX bytes."""

import csv
import io


def comments_file(columns: list[str], rows: list[list], fmt: str) -> tuple[bytes, str]:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "comments"
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
