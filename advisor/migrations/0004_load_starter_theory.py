"""The starter theory library (advisor/theory/*.md), so the advisor has sources from the first migrate.

One document per setup area, written for Apex. Files already stored (same
name or same text) are left alone; after editing them, run
``manage.py import_theory advisor/theory`` to update the stored copies.
Reversing deletes the starter documents by file name.
"""

from pathlib import Path

from django.db import migrations

THEORY_DIR = Path(__file__).resolve().parent.parent / "theory"

STARTER = {
    "diff-oils.md": "diffs",
    "shock-oil-and-pistons.md": "shock_oil",
    "springs.md": "springs",
    "sway-bars.md": "sway_bars",
    "toe.md": "toe",
    "camber.md": "camber",
    "ride-height.md": "ride_height",
    "shock-positions.md": "shock_positions",
    "tyres.md": "tyres",
    "engine-clutch-and-gearing.md": "engine",
}


def load(apps, schema_editor):
    from advisor import theory

    TheoryDocument = apps.get_model("advisor", "TheoryDocument")
    parsed = [
        theory.parse(name, (THEORY_DIR / name).read_bytes(), category=category)
        for name, category in STARTER.items()
    ]
    stored = TheoryDocument.objects.filter(filename__in=[p.filename for p in parsed]).values_list(
        "filename", flat=True
    )
    hashes = TheoryDocument.objects.filter(content_hash__in=[p.content_hash for p in parsed]).values_list(
        "content_hash", flat=True
    )
    skip_names, skip_hashes = set(stored), set(hashes)
    TheoryDocument.objects.bulk_create(
        [
            TheoryDocument(
                filename=p.filename,
                title=p.title,
                category=p.category,
                content=p.content,
                content_hash=p.content_hash,
                file_path=f"advisor/theory/{p.filename}",
            )
            for p in parsed
            if p.filename not in skip_names and p.content_hash not in skip_hashes
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("advisor", "TheoryDocument").objects.filter(filename__in=list(STARTER)).delete()


class Migration(migrations.Migration):
    dependencies = [("advisor", "0003_load_advice_rules")]

    operations = [migrations.RunPython(load, unload)]
