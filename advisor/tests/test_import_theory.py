"""``manage.py import_theory``: Markdown, text and real PDF files in; nothing stored twice; bad files named."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from advisor.models import TheoryDocument
from advisor.tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def run(*paths, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_theory", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*paths) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_theory", *[str(p) for p in paths], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


@pytest.fixture
def starter_count():
    return TheoryDocument.objects.count()


def test_markdown_title_comes_from_the_first_heading(tmp_path, starter_count):
    path = tmp_path / "rear-toe.md"
    path.write_text("Intro line\n\n## Rear toe-in and stability\n\nMore toe-in, more stability.\n")
    out, err = run(path)
    document = TheoryDocument.objects.get(filename="rear-toe.md")
    assert document.title == "Rear toe-in and stability"
    assert document.category == "toe"
    assert "More toe-in, more stability." in document.content
    assert document.file_path == str(path)
    assert "created" in out and err == ""


def test_underlined_markdown_heading_is_a_title(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("Clutch basics\n=============\n\nStiffer springs engage later.\n")
    run(path)
    assert TheoryDocument.objects.get(filename="notes.md").title == "Clutch basics"


def test_plain_text_title_comes_from_the_file_name(tmp_path):
    path = tmp_path / "sway_bar-notes.txt"
    path.write_text("# not a heading in a text file\nThicker bars reduce roll.\n")
    run(path)
    document = TheoryDocument.objects.get(filename="sway_bar-notes.txt")
    assert document.title == "Sway bar notes" and document.category == "sway_bars"


def test_pdf_text_and_title_metadata(tmp_path):
    path = tmp_path / "damping.pdf"
    path.write_bytes(
        pdf_bytes(
            [["Shock oil sets the damping.", "Thicker oil slows (weight) transfer."], ["Pistons: landings"]],
            title="Damping for 1/8 buggies",
        )
    )
    run(path)
    document = TheoryDocument.objects.get(filename="damping.pdf")
    assert document.title == "Damping for 1/8 buggies"
    assert "Thicker oil slows (weight) transfer." in document.content
    assert "Pistons: landings" in document.content
    assert document.category == "shock_oil"  # "damping" in the file name


def test_pdf_without_title_metadata_is_named_for_its_file(tmp_path):
    path = tmp_path / "ride-height_basics.pdf"
    path.write_bytes(pdf_bytes([["Lower is faster until it bottoms out."]]))
    run(path)
    document = TheoryDocument.objects.get(filename="ride-height_basics.pdf")
    assert document.title == "Ride height basics" and document.category == "ride_height"


def test_importing_the_same_file_again_changes_nothing(tmp_path, starter_count):
    path = tmp_path / "springs-extra.md"
    path.write_text("# Springs extra\n\nSofter springs, more grip.\n")
    run(path)
    first = TheoryDocument.objects.get(filename="springs-extra.md")
    out, _ = run(path)
    assert "unchanged" in out
    assert TheoryDocument.objects.count() == starter_count + 1
    assert TheoryDocument.objects.get(filename="springs-extra.md").updated_at == first.updated_at


def test_an_edited_file_updates_its_document(tmp_path, starter_count):
    path = tmp_path / "springs-extra.md"
    path.write_text("# Springs extra\n\nSofter springs, more grip.\n")
    run(path)
    original = TheoryDocument.objects.get(filename="springs-extra.md")
    path.write_text("# Springs, revised\n\nStiffer springs jump better.\n")
    out, _ = run(path)
    document = TheoryDocument.objects.get(filename="springs-extra.md")
    assert document.pk == original.pk and "updated" in out
    assert document.title == "Springs, revised" and "jump better" in document.content
    assert document.content_hash != original.content_hash
    assert TheoryDocument.objects.count() == starter_count + 1


def test_the_same_text_under_another_name_is_not_stored_twice(tmp_path, starter_count):
    (tmp_path / "a.md").write_text("# Camber trick\n\nMore camber, more side grip.\n")
    (tmp_path / "copy-of-a.md").write_text("# Camber trick\n\nMore camber, more side grip.\n")
    out, _ = run(tmp_path)
    assert TheoryDocument.objects.count() == starter_count + 1
    assert "1 created, 0 updated, 1 unchanged, 0 failed." in out


def test_a_re_import_keeps_a_topic_chosen_by_staff(tmp_path):
    path = tmp_path / "misc.md"
    path.write_text("# Misc\n\nText.\n")
    run(path)
    TheoryDocument.objects.filter(filename="misc.md").update(category="tyres")
    path.write_text("# Misc\n\nNew text.\n")
    run(path)
    assert TheoryDocument.objects.get(filename="misc.md").category == "tyres"


def test_category_option_sets_the_topic(tmp_path):
    path = tmp_path / "misc.md"
    path.write_text("# Misc\n\nText.\n")
    run(path, category="camber")
    assert TheoryDocument.objects.get(filename="misc.md").category == "camber"


def test_bad_files_are_reported_by_name_and_reason_and_the_good_ones_still_import(tmp_path, starter_count):
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nFine.\n")
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 setup".encode("latin-1"))
    empty = tmp_path / "empty.md"
    empty.write_text("   \n\n")
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(pdf_bytes([[]]))
    word = tmp_path / "notes.docx"
    word.write_bytes(b"PK\x03\x04")
    missing = tmp_path / "missing.md"

    out, err, message = run_failing(good, broken_pdf, latin1, empty, scanned, word, missing)

    lines = err.strip().splitlines()
    assert f"{broken_pdf}: not a readable PDF" in lines[0]
    assert lines[1] == f"{latin1}: not UTF-8 text (byte 3 cannot be read)"
    assert lines[2] == f"{empty}: no text in it"
    assert lines[3] == f"{scanned}: no text in it (a scanned PDF without a text layer?)"
    assert lines[4] == f"{word}: not a Markdown, text or PDF file (got “.docx”)"
    assert lines[5] == f"{missing}: No such file or directory"
    assert "Traceback" not in err
    assert message == "6 paths could not be imported (see above)."
    assert "1 created, 0 updated, 0 unchanged, 6 failed." in out
    assert TheoryDocument.objects.count() == starter_count + 1


def test_a_password_protected_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(__import__("io").BytesIO(pdf_bytes([["Secret setup"]]))))
    writer.encrypt(user_password="pit-lane", owner_password="pit-lane")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    _out, err, _message = run_failing(path)
    assert err.strip() == f"{path}: the PDF is password-protected"


def test_a_folder_without_documents_is_an_error(tmp_path):
    (tmp_path / "readme.rst").write_text("nothing")
    _out, err, _message = run_failing(tmp_path)
    assert err.strip() == f"{tmp_path}: no .md, .txt or .pdf files in this folder"


def test_the_starter_library_re_imports_as_unchanged(starter_count):
    from pathlib import Path

    import advisor

    out, err = run(Path(advisor.__file__).parent / "theory")
    assert "0 created, 0 updated, 10 unchanged, 0 failed." in out and err == ""
    assert TheoryDocument.objects.count() == starter_count


def test_the_starter_library_has_one_document_per_setup_area():
    topics = set(
        TheoryDocument.objects.filter(file_path__startswith="advisor/theory/").values_list(
            "category", flat=True
        )
    )
    assert topics == {
        "diffs",
        "shock_oil",
        "springs",
        "sway_bars",
        "toe",
        "camber",
        "ride_height",
        "shock_positions",
        "tyres",
        "engine",
    }
    for document in TheoryDocument.objects.filter(file_path__startswith="advisor/theory/"):
        text = document.content.lower()
        for stage in ("entry", "mid-corner", "exit", "bump", "jump"):
            assert stage in text, f"{document.title} says nothing about {stage}"
