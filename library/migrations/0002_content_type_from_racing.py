"""The setup library's content type moves from racing to library with the model.

One UPDATE of one row: admin history (LogEntry) and any permission granted on
library setups (racing.change_librarysetup becomes library.change_librarysetup)
keep pointing at it, instead of a new content type appearing beside a stale
one. A fresh database has no content types yet; then nothing changes.
"""

from django.db import migrations


def _move(apps, from_app: str, to_app: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=to_app, model="librarysetup").exists():
        ContentType.objects.filter(app_label=from_app, model="librarysetup").update(app_label=to_app)


def forwards(apps, schema_editor) -> None:
    _move(apps, "racing", "library")


def backwards(apps, schema_editor) -> None:
    _move(apps, "library", "racing")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
