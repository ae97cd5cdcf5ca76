"""Import and export of the legacy CSV storage format.

- ``format``: the four files and their columns, reading, cell parsing
- ``importing``: importing a folder into one account
- ``report``: the import's summary and rejects files
- ``exporting``: one account as the four files, streamed: rows are read
  in chunks and written as they come (``export_zip_stream`` for the
  download), so memory does not grow with the account

Four files make one folder (see ``FILES``): racers with their sponsors and
vehicles, shop-master baselines, community library setups and track logs.

Import runs in three steps:

1. ``check_folder`` reads every file before anything is written, a chunk
   at a time: a missing file, a file over ``MAX_FILE_BYTES``, a wrong
   header, binary or non-UTF-8 content, an empty file or a CSV error (a
   field over the csv module's size limit) stops the import with a
   ``LegacyCsvError`` that names the file (and the line).
2. The four files are imported in one transaction, in dependency order.
   Rows are streamed and validated one by one; accepted rows are written in
   batches. A row that fails validation is a reject (file, physical line,
   reason), never an error. An exception part-way (or a killed process)
   rolls the whole run back: the account is as it was.
3. The caller writes the report (``write_report``): a summary and one
   rejects CSV per file.

Cells are cleaned by the web forms' own fields, so the import accepts what
the forms accept (``format.clean``). Files are written and read through
``apex.csv``: formula-like cells (``=``, ``+``, ``-``, ``@``, tab, carriage
return) are exported behind a quote and read back without it.

A run takes the owner's row lock first
(``profiles.services.owner_lock``, as every racer write does), so two
imports for the same account run one after the other and the second
finds the first one's rows "already present". The partial unique constraints on ``import_key`` back this up:
new library setups and track logs are inserted with ``ignore_conflicts``,
so a row can never land twice.
"""

from racing.legacy_csv.exporting import (
    export_files,
    export_folder,
    export_rows,
    export_zip,
    export_zip_stream,
)
from racing.legacy_csv.format import (
    BASELINE_COLUMNS,
    FILES,
    LIBRARY_COLUMNS,
    RACER_COLUMNS,
    TRACK_LOG_COLUMNS,
    LegacyCsvError,
    Reject,
    check_folder,
    parse_date,
    parse_param,
    parse_timestamp,
)
from racing.legacy_csv.importing import FileResult, ImportResult, import_folder
from racing.legacy_csv.report import format_summary, summary_rows, write_report

__all__ = [
    "BASELINE_COLUMNS",
    "FILES",
    "LIBRARY_COLUMNS",
    "RACER_COLUMNS",
    "TRACK_LOG_COLUMNS",
    "FileResult",
    "ImportResult",
    "LegacyCsvError",
    "Reject",
    "check_folder",
    "export_files",
    "export_folder",
    "export_rows",
    "export_zip",
    "export_zip_stream",
    "format_summary",
    "import_folder",
    "parse_date",
    "parse_param",
    "parse_timestamp",
    "summary_rows",
    "write_report",
]
