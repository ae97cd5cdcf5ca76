from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from advisor import services, theory
from advisor.forms import TheorySearchForm, TheoryUploadForm
from advisor.models import TheoryDocument
from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest
from apex.shortcuts import render_page

SEARCH_RESULTS = 20


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff add theory documents.")


@require_GET
def theory_list(request: HtmxHttpRequest) -> HttpResponse:
    """The theory library: every document by topic, or a ranked full-text search."""
    form = TheorySearchForm(request.GET or None)
    q = category = ""
    if form.is_valid():
        q, category = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    documents = TheoryDocument.objects.all()
    if category:
        documents = documents.filter(category=category)
    documents = documents.search(q)[:SEARCH_RESULTS] if q else documents.only("pk", "title", "category")
    context = {"form": form, "q": q, "documents": documents}
    return render_page(request, "advisor/theory_list.html", context, partial="results")


@require_GET
def theory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TheoryDocument, pk=pk)
    return render(request, "advisor/theory_detail.html", {"document": document})


@require_http_methods(["GET", "POST"])
@login_required
def theory_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    form = TheoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document, outcome = services.theory_document_save(
                parsed=form.cleaned_data["parsed"],
                file_path=f"upload:{form.cleaned_data['file'].name}",
                keep_category=not form.cleaned_data["category"],
            )
        except theory.UnreadableDocument as error:
            form.add_error("file", f"{form.cleaned_data['file'].name}: {error}.")
        else:
            text = {
                services.ImportOutcome.CREATED: "added to the theory library",
                services.ImportOutcome.UPDATED: "updated with the new text",
                services.ImportOutcome.UNCHANGED: "already in the theory library, unchanged",
            }[outcome]
            messages.success(request, f"“{document.title}” {text}.")
            return redirect(document)
    status = 422 if request.method == "POST" else 200
    return render(request, "advisor/theory_upload.html", {"form": form}, status=status)
