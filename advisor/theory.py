"""Reading theory documents: text, title and topic from Markdown, plain text and PDF files.

Pure functions of a file's name and bytes, shared by ``import_theory``, the
admin, the staff upload page and the starter-library migration. Anything
unreadable raises ``UnreadableDocument`` with a reason a person can act on.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from advisor.models import MAX_CONTENT_CHARS, Topic
from advisor.search import strip_marks

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | PDF_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 500

# Words in a file name or title that name a topic, checked in this order
# ("shock position" before "shock oil", "diff" last of the drivetrain).
TOPIC_WORDS: list[tuple[Topic, tuple[str, ...]]] = [
    (Topic.SHOCK_POSITIONS, ("shock position", "shock-position", "shock_position", "tower", "mounting")),
    (Topic.SHOCK_OIL, ("shock oil", "shock-oil", "shock_oil", "piston", "damping", "damper")),
    (Topic.SPRINGS, ("spring",)),
    (Topic.SWAY_BARS, ("sway", "anti-roll", "anti roll", "roll bar")),
    (Topic.RIDE_HEIGHT, ("ride height", "ride-height", "ride_height")),
    (Topic.CAMBER, ("camber",)),
    (Topic.TOE, ("toe",)),
    (Topic.TYRES, ("tyre", "tire", "compound", "tread")),
    (Topic.ENGINE, ("engine", "clutch", "gearing", "gear", "venturi", "pipe", "carb")),
    (Topic.DIFFS, ("diff",)),
]


class UnreadableDocument(Exception):
    """The file cannot become a theory document; the message says why."""


@dataclass(frozen=True)
class ParsedDocument:
    filename: str
    title: str
    category: str
    content: str
    content_hash: str


def parse(filename: str, data: bytes, *, category: str = "") -> ParsedDocument:
    """The document in a file, by its suffix; raises ``UnreadableDocument``."""
    name = PurePath(filename).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableDocument(f"not a Markdown, text or PDF file (got “{suffix or 'no suffix'}”)")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if suffix in PDF_SUFFIXES:
        text, title = _read_pdf(data)
    else:
        text = _decode(data)
        title = markdown_title(text) if suffix in MARKDOWN_SUFFIXES else ""
    content = clean_text(text)
    if not content:
        hint = " (a scanned PDF without a text layer?)" if suffix in PDF_SUFFIXES else ""
        raise UnreadableDocument(f"no text in it{hint}")
    if len(content) > MAX_CONTENT_CHARS:
        raise UnreadableDocument(f"{len(content):,} characters of text; the limit is {MAX_CONTENT_CHARS:,}")
    title = (clean_text(title).replace("\n", " ") or title_from_filename(name))[:200]
    if category and category not in Topic.values:
        raise UnreadableDocument(f"unknown category “{category}” (one of {', '.join(Topic.values)})")
    return ParsedDocument(
        filename=name[:255],
        title=title,
        category=category or guess_topic(f"{name} {title}"),
        content=content,
        content_hash=content_hash(content),
    )


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def markdown_title(text: str) -> str:
    """The first Markdown heading (``# Title`` or a line underlined with ``===``/``---``)."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if match := re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", stripped):
            return match.group(1)
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if stripped and re.fullmatch(r"=+|-+", following) and not re.fullmatch(r"[-=]+", stripped):
            return stripped
    return ""


def title_from_filename(name: str) -> str:
    stem = re.sub(r"[-_\s]+", " ", PurePath(name).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else name


def guess_topic(text: str) -> str:
    lowered = text.lower()
    for topic, words in TOPIC_WORDS:
        if any(word in lowered for word in words):
            return topic.value
    return Topic.GENERAL.value


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(f"not UTF-8 text (byte {error.start} cannot be read)") from None


def _read_pdf(data: bytes) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is password-protected")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(f"more than {MAX_PDF_PAGES} pages")
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        metadata = reader.metadata
        title = str(metadata.title or "") if metadata else ""
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocument(f"not a readable PDF ({error.__class__.__name__}: {error})") from None
    return text, title


def clean_text(text: str) -> str:
    """One form of the text: NFC, Unix line ends, no control characters, no blank runs."""
    text = unicodedata.normalize("NFC", strip_marks(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
