"""Audit-log files (CSV or XLSX search audits) read into audit rows under the reading limits.

The audit-log spider hands each file on unread (``spiders.items.AuditLogItem``); the text
pipeline runs :func:`parse_audit_log` in a reading process of ``pipelines/worker.py``, as it
reads every other document. So a workbook inflating to billions of cells stops at
``limits.decompressed_bytes`` (checked on the zip directory, before anything is inflated) or
``limits.cells``, or its process is killed at ``wall_seconds`` or ``memory_mb``: one line
naming the URL for its source, and the crawl goes on. Which header and which columns make an
audit row is ``spiders/audit_log.py``'s.
"""

from __future__ import annotations

from config.limits import Limits
from pipelines.sections import TextError, check_size
from pipelines.tabletext import counted, xlsx_sheets
from spiders.audit_log import audit_rows, csv_table, is_workbook
from spiders.base import LayoutChanged
from spiders.portal_snapshot import AuditRow


def parse_audit_log(body: bytes, url: str, limits: Limits | None = None) -> list[AuditRow]:
    """The search-audit rows of a CSV or XLSX file fetched from ``url``.

    Raises TextError naming ``url`` when the file is not an audit (no header row with a
    reason column, ...) or unreadable, and its subclass LimitExceeded past a limit. Bounded
    by ``limits`` but for wall time and memory: run it in a reading process for those.
    """
    limits = limits or Limits()
    check_size(url, len(body), limits.bytes)
    sheets = (xlsx_sheets(body, url, limits) if is_workbook(body, url)
              else iter([("", csv_table(body, url))]))
    try:
        return audit_rows((rows for _name, rows in counted(sheets, url, limits)), url)
    except LayoutChanged as error:  # the file's fault, said as any unreadable document's
        raise TextError(str(error)) from None
