"""One base for every .xlsx export: declare the columns, iterate the rows once, stream to a file.

    class PersonExporter(ListExporter):
        title = _("人员名录")
        columns = [Column(_("姓名"), "name"), Column(_("手机"), lambda p: p.masked_mobile)]

    return PersonExporter().response(queryset, filename="人员名录")

Large querysets are read with ``.iterator()`` and written in openpyxl's write-only mode, so
memory stays flat whatever the size.

Every text is written as text: openpyxl reads a string starting with ``=`` as a formula and
``#N/A`` and the like as error values, so a consultation typed as ``=HYPERLINK(...)`` would
become a live formula in the spreadsheet (formula injection). ``_cell`` marks such strings as
strings; every exporter goes through it, so none can write a formula from data.
"""

import datetime
import decimal
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    header: str
    value: str | Callable  # attribute path ("jurisdiction.name") or callable(row)
    width: int = 16

    def get(self, row):
        if callable(self.value):
            return self.value(row)
        result = row
        for part in self.value.split("."):
            if result is None:
                return None
            result = result.get(part) if isinstance(result, dict) else getattr(result, part)
        if callable(result):
            result = result()
        return result


def _text(ws, value: str):
    """A string cell that openpyxl would otherwise store as a formula or an error value."""
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (datetime.date, int, float, bool)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


class ListExporter:
    title: str = ""
    columns: list[Column] = []

    def get_columns(self) -> list[Column]:
        return self.columns

    def rows(self, items: Iterable) -> Iterable[list]:
        columns = self.get_columns()
        if hasattr(items, "iterator"):
            items = items.iterator(chunk_size=2000)
        for item in items:
            yield [_cell(c.get(item)) for c in columns]

    def write(self, items: Iterable, fh) -> int:
        """Write the workbook to ``fh``; returns the number of data rows."""
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=str(self.title or "Sheet1")[:31])
        columns = self.get_columns()
        for index, column in enumerate(columns):
            ws.column_dimensions[chr(65 + index) if index < 26 else "A"].width = column.width
        header_font = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=str(column.header))
            cell.font = header_font
            cell.data_type = "s"
            header.append(cell)
        ws.append(header)
        count = 0
        for row in self.rows(items):
            ws.append([_text(ws, value) if isinstance(value, str) else value for value in row])
            count += 1
        wb.save(fh)
        return count

    def response(self, items: Iterable, *, filename: str) -> HttpResponse:
        buffer = io.BytesIO()
        self.write(items, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
        name = f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


# --- exports that run as a background job -------------------------------------------------------

# Job kinds that are list exports: core's export page (``core.views.exports``) shows their progress
# and serves their file to the person who asked; apps add theirs with ``export_job``.
EXPORT_KINDS: set[str] = set()


def export_job(kind: str):
    """``@job_handler`` for a long list export: the kind joins ``EXPORT_KINDS``."""
    from .jobs import job_handler

    EXPORT_KINDS.add(kind)
    return job_handler(kind)


def write_export(job, progress, exporter: ListExporter, rows, *, name: str) -> dict:
    """Write the queryset ``rows`` with ``exporter`` into the job's file, reporting progress every
    2,000 rows; returns the job's result (``rows``, ``filename``) that the export page reads."""
    from django.core.files.base import ContentFile

    progress(0, rows.count())

    def counted():
        for n, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            if n % 2000 == 0:
                progress(n)
            yield row

    buffer = io.BytesIO()
    count = exporter.write(counted(), buffer)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    job.output_file.save(filename, ContentFile(buffer.getvalue()), save=True)
    return {"rows": count, "filename": filename}
