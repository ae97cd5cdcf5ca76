"""Writes for the theory library: importing a document creates it, updates it, or finds it unchanged.

Keyword-only, under ``transaction.atomic``.
"""

from enum import StrEnum

from django.db import IntegrityError, transaction

from advisor import theory
from advisor.models import TheoryDocument


class ImportOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def theory_document_import(
    *, filename: str, data: bytes, file_path: str = "", category: str = ""
) -> tuple[TheoryDocument, ImportOutcome]:
    """Store the document in a file, never twice.

    The same file name updates its document (new text and title; the topic
    only when ``category`` is given, so an admin's choice survives a
    re-import); the same text under another name is the document already
    stored, found by its content hash. Raises ``theory.UnreadableDocument``
    for a file that cannot be read, or whose new text is another stored
    document's.
    """
    parsed = theory.parse(filename, data, category=category)
    return theory_document_save(parsed=parsed, file_path=file_path, keep_category=not category)


def theory_document_save(
    *, parsed: theory.ParsedDocument, file_path: str = "", keep_category: bool = True
) -> tuple[TheoryDocument, ImportOutcome]:
    """Store a parsed document as ``theory_document_import`` does (the upload page parses first)."""
    try:
        return _store(parsed, file_path, keep_category=keep_category)
    except IntegrityError:
        # Another import of the same file committed first: it is stored now.
        return _store(parsed, file_path, keep_category=keep_category)


def _store(
    parsed: theory.ParsedDocument, file_path: str, *, keep_category: bool
) -> tuple[TheoryDocument, ImportOutcome]:
    with transaction.atomic():
        by_name = TheoryDocument.objects.select_for_update().filter(filename=parsed.filename).first()
        by_hash = TheoryDocument.objects.filter(content_hash=parsed.content_hash).first()
        if by_name is None:
            if by_hash is not None:
                return by_hash, ImportOutcome.UNCHANGED
            document = TheoryDocument.objects.create(
                filename=parsed.filename,
                title=parsed.title,
                category=parsed.category,
                content=parsed.content,
                content_hash=parsed.content_hash,
                file_path=file_path,
            )
            return document, ImportOutcome.CREATED
        if by_hash is not None and by_hash.pk != by_name.pk:
            raise theory.UnreadableDocument(
                f"its text is already stored as “{by_hash.filename}” ({by_hash.title})"
            )
        fields = {
            "title": parsed.title,
            "category": by_name.category if keep_category else parsed.category,
            "content": parsed.content,
            "content_hash": parsed.content_hash,
        }
        # The same file read from another folder is the same document.
        if all(getattr(by_name, name) == value for name, value in fields.items()):
            return by_name, ImportOutcome.UNCHANGED
        fields["file_path"] = file_path or by_name.file_path
        for name, value in fields.items():
            setattr(by_name, name, value)
        by_name.save(update_fields=[*fields, "updated_at"])
        return by_name, ImportOutcome.UPDATED
