"""Small helpers for advisor tests: theory documents and real PDF files."""

import itertools

from advisor import services
from advisor.models import TheoryDocument

_n = itertools.count(1)


def make_theory_document(
    title: str = "", content: str = "", category: str = "general", filename: str = ""
) -> TheoryDocument:
    n = next(_n)
    title = title or f"Theory {n}"
    body = content or f"Notes number {n}."
    document, _outcome = services.theory_document_import(
        filename=filename or f"theory-{n}.md",
        data=f"# {title}\n\n{body}\n".encode(),
        category=category,
    )
    return document


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_bytes(pages: list[list[str]], title: str | None = None) -> bytes:
    """A real PDF 1.4 file, written byte by byte: one page per list of lines, Helvetica text.

    Independent of the library that reads it, so the import test reads a
    file as any PDF writer would produce it (with /Title metadata when given).
    """
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")  # filled in below, once the page tree's number is known
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_numbers = []
    tree = len(objects) + 1 + 2 * len(pages)
    for lines in pages:
        text = " T* ".join(f"{_pdf_string(line)} Tj" for line in lines)
        stream = f"BT /F1 12 Tf 72 720 Td 16 TL {text} ET".encode("latin-1")
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_numbers.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} 0 R >>"
            )
        )
    kids = " ".join(f"{n} 0 R" for n in page_numbers)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>") == tree
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode("latin-1")
    info = add(f"<< /Title {_pdf_string(title)} /Producer (Apex tests) >>") if title is not None else None

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = (
        f"<< /Size {len(objects) + 1} /Root {catalog} 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    )
    out += b"trailer\n" + trailer.encode("latin-1") + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
