"""The theory library's pages: anyone reads and searches; staff upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from advisor.models import TheoryDocument
from advisor.tests.factories import make_theory_document, pdf_bytes

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def upload(client, name: str, data: bytes, category: str = ""):
    return client.post(
        reverse("theory_upload"), {"file": SimpleUploadedFile(name, data), "category": category}
    )


def test_anyone_reads_the_library_by_topic(client):
    response = client.get(reverse("theory_list"))
    assert response.status_code == 200
    assert "Diff oils: front, centre and rear" in response.text and "Add a document" not in response.text


def test_search_ranks_and_highlights(client):
    response = client.get(reverse("theory_list"), {"q": "clutch bell"})
    assert response.status_code == 200
    documents = list(response.context["documents"])
    assert documents[0].title == "Engine, clutch and gearing"
    assert "<mark>clutch</mark>" in response.text.lower()


def test_htmx_search_gets_only_the_results(client):
    response = client.get(reverse("theory_list"), {"q": "camber"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="theory-results"')
    assert "HX-Request" in response["Vary"]


def test_search_without_a_match_says_so(client):
    response = client.get(reverse("theory_list"), {"q": "hovercraft"})
    assert "No document mentions all of “hovercraft”" in response.text


def test_topic_filter(client):
    response = client.get(reverse("theory_list"), {"category": "camber"})
    assert [d.title for d in response.context["documents"]] == ["Camber"]
    response = client.get(reverse("theory_list"), {"category": "camber", "q": "grip"})
    assert [d.title for d in response.context["documents"]] == ["Camber"]


def test_a_document_page_renders_markdown_safely(client):
    document = make_theory_document(
        "Safe", "## Corner entry\n\n- **Thicker** <b>oil</b>\n- thinner\n\nA <script>x</script> line."
    )
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "<h3>Corner entry</h3>" in response.text
    assert "<li><strong>Thicker</strong> &lt;b&gt;oil&lt;/b&gt;</li>" in response.text
    assert "<script>x" not in response.text and "&lt;script&gt;x" in response.text


def test_a_missing_document_is_404(client):
    assert client.get(reverse("theory_detail", args=[2**62])).status_code == 404


def test_staff_upload_a_pdf(staff_client):
    response = upload(
        staff_client, "gearing.pdf", pdf_bytes([["Taller bell, more top speed."]], title="Gearing")
    )
    document = TheoryDocument.objects.get(filename="gearing.pdf")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.title == "Gearing" and document.category == "engine"
    assert document.file_path == "upload:gearing.pdf"
    follow = staff_client.get(response["Location"])
    assert "“Gearing” added to the theory library." in follow.text


def test_staff_upload_the_same_file_again_updates_it(staff_client):
    upload(staff_client, "notes.md", b"# Notes\n\nFirst.")
    count = TheoryDocument.objects.count()
    response = upload(staff_client, "notes.md", b"# Notes\n\nSecond.", category="tyres")
    assert TheoryDocument.objects.count() == count
    document = TheoryDocument.objects.get(filename="notes.md")
    assert document.content.endswith("Second.") and document.category == "tyres"
    assert "updated with the new text" in staff_client.get(response["Location"]).text


def test_a_bad_upload_says_why_and_stores_nothing(staff_client):
    count = TheoryDocument.objects.count()
    response = upload(staff_client, "broken.pdf", b"%PDF-1.4 nope")
    assert response.status_code == 422
    assert "broken.pdf: not a readable PDF" in response.text
    assert TheoryDocument.objects.count() == count


def test_an_upload_whose_text_is_another_documents_is_refused(staff_client):
    upload(staff_client, "one.md", b"# One\n\nSame text.")
    upload(staff_client, "two.md", b"# Two\n\nOther text.")
    response = upload(staff_client, "two.md", b"# One\n\nSame text.")
    assert response.status_code == 422 and "already stored as “one.md”" in response.text


def test_only_staff_upload(client, owner_client):
    assert upload(owner_client, "x.md", b"# X\n\ny").status_code == 403
    assert owner_client.get(reverse("theory_upload")).status_code == 403
    assert not TheoryDocument.objects.filter(filename="x.md").exists()


def test_anonymous_upload_goes_to_login(client):
    response = upload(client, "x.md", b"# X\n\ny")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for n in range(5):
        make_theory_document(f"Extra {n}", "roll roll roll")
    with django_assert_max_num_queries(3):
        client.get(reverse("theory_list"))
    with django_assert_max_num_queries(3):
        client.get(reverse("theory_list"), {"q": "roll"})


def test_admin_upload_fills_in_the_document(staff_client):
    response = staff_client.post(
        reverse("admin:advisor_theorydocument_add"),
        {
            "upload": SimpleUploadedFile("bars.pdf", pdf_bytes([["Thicker bars, less roll."]], title="Bars")),
            "title": "",
            "category": "sway_bars",
            "filename": "",
            "content": "",
            "file_path": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = TheoryDocument.objects.get(filename="bars.pdf")
    assert document.title == "Bars" and "less roll" in document.content and len(document.content_hash) == 64


def test_admin_edit_by_hand_updates_the_hash(staff_client):
    document = make_theory_document("Hand", "Old words.")
    old_hash = document.content_hash
    response = staff_client.post(
        reverse("admin:advisor_theorydocument_change", args=[document.pk]),
        {
            "title": "Hand",
            "category": "general",
            "filename": document.filename,
            "content": "New words.",
            "file_path": "",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.content == "New words." and document.content_hash != old_hash
