"""The import report: a summary and one rejects file per CSV file."""

from pathlib import Path

from apex import csv as apex_csv
from racing.legacy_csv.format import FILES
from racing.legacy_csv.importing import ImportResult


def summary_rows(result: ImportResult) -> list[list[str]]:
    rows = [["File", "Read", "Imported", "Already present", "Rejected"]]
    for f in result.files:
        rows.append([f.name, str(f.read), str(f.imported), str(f.already_present), str(f.rejected)])
    return rows


def format_summary(result: ImportResult) -> str:
    rows = summary_rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(lines)


def write_report(result: ImportResult, report_dir: Path) -> None:
    """summary.csv and one ``rejects-<file>`` per file (Line, Reason, then the original columns)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    with (report_dir / "summary.csv").open("w", encoding="utf-8", newline="") as handle:
        apex_csv.writer(handle).writerows(summary_rows(result))
    for f in result.files:
        with (report_dir / f"rejects-{f.name}").open("w", encoding="utf-8", newline="") as handle:
            writer = apex_csv.writer(handle)
            # Line and Reason first: a row with too many fields still lines up.
            writer.writerow(["Line", "Reason", *FILES[f.name]])
            for reject in f.rejects:
                writer.writerow([reject.line, reject.reason, *reject.cells])
