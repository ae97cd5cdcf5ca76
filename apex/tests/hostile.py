"""Hypothesis strategies for hostile input, shared by the bad-input tests.

Everything here is a string, because that is all a browser (or anyone
pretending to be one) can send: form fields, query parameters and URL
segments alike.
"""

import string

from hypothesis import strategies as st

# Markup that must only ever come back escaped. Each contains "<", so finding
# one verbatim in a response means it was rendered raw.
MARKUP_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "<img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert('x')\">click</a>",
)

NUL = "\x00"

# Text that has broken parsers, databases and templates before.
AWKWARD_TEXT = (
    "",
    " ",
    "\t\n\r",
    NUL,
    f"abc{NUL}def",
    NUL * 5,
    "' OR 1=1 --",
    "'; DROP TABLE profiles_user; --",
    "%s %d {0} {{ x }} {% now 'Y' %}",
    "\\",
    "%",
    "_",
    "../../etc/passwd",
    "a/b",
    "\u202eevil\u202c",  # right-to-left override
    "\ufeff",  # byte-order mark
    "e\u0301\u0301\u0301",  # combining accents
    "🏎️🏁" * 3,
    "Ω≈ç√∫˜µ≤≥÷",
    "田中さんにあげて下さい",
    "\ufffd",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
)

# Numbers a number field must turn away (or accept) with a message.
AWKWARD_NUMBERS = (
    "0",
    "-0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 30,
    "9" * 5000,  # more digits than int() converts
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "0x1F",
    "1_000",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "１２３",  # full-width digits
    "3.14159265358979323846264338327950288",
    "1,5",
    " 42 ",
    "+7",
    "--1",
)

AWKWARD_UUIDS = (
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "{12345678-1234-5678-1234-567812345678}",
    "12345678123456781234567812345678",
    "12345678-1234-5678-1234-56781234567",
    "g2345678-1234-5678-1234-567812345678",
)

AWKWARD_SLUGS = ("-", "_", "a" * 500, "search", "events", "UPPER", "ünïcode", "a b", "a%2Fb", "..")

AWKWARD_DATES = (
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2025-02-30",
    "2025-13-01",
    "31/12/2025",
    "2025-06-01T25:61",
    "2025-06-01T10:00+99:00",
    "yesterday",
)

HUGE = (
    "A" * 10_000,
    "ß" * 5_000,  # grows when upper-cased
    "<" * 5_000,
    "x " * 5_000,
)


def huge_text() -> st.SearchStrategy[str]:
    return st.sampled_from(HUGE) | st.integers(1_000, 50_000).map(lambda n: "z" * n)


def with_nul() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: f"{a}{NUL}{b}", st.text(max_size=20), st.text(max_size=20))


def markup() -> st.SearchStrategy[str]:
    return st.sampled_from(MARKUP_PAYLOADS)


def numbers() -> st.SearchStrategy[str]:
    return (
        st.sampled_from(AWKWARD_NUMBERS)
        | st.integers(min_value=-(10**40), max_value=10**40).map(str)
        | st.floats(allow_nan=True, allow_infinity=True).map(repr)
        | st.decimals(allow_nan=True, allow_infinity=True).map(str)
    )


# Every row a test creates has an id (and every baseline a version number) far
# below this, on SQLite and on PostgreSQL, whose sequences keep climbing across
# the session: ids drawn from here on can never name a real row.
ABSENT_ID_FLOOR = 10**9


def absent_ids() -> st.SearchStrategy[int]:
    """Ids that no row has: 0 (ids and version numbers start at 1), 10**9 and up, and the integer limits."""
    return (
        st.just(0)
        | st.integers(min_value=ABSENT_ID_FLOOR, max_value=10**40)
        | st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**19])
    )


def uuids() -> st.SearchStrategy[str]:
    return st.sampled_from(AWKWARD_UUIDS) | st.uuids().map(str) | st.text(max_size=40)


def slugs() -> st.SearchStrategy[str]:
    return st.sampled_from(AWKWARD_SLUGS) | st.text(string.ascii_letters + string.digits + "-_", max_size=60)


def dates() -> st.SearchStrategy[str]:
    return st.sampled_from(AWKWARD_DATES) | st.dates().map(str) | st.datetimes().map(lambda d: d.isoformat())


def any_text() -> st.SearchStrategy[str]:
    """Random unicode (no lone surrogates: they cannot be sent as UTF-8)."""
    return st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


def hostile() -> st.SearchStrategy[str]:
    """Any one hostile value: text, markup, NUL, numbers, dates, ids, or huge."""
    return st.one_of(
        st.sampled_from(AWKWARD_TEXT),
        any_text(),
        markup(),
        with_nul(),
        numbers(),
        dates(),
        uuids(),
        slugs(),
        huge_text(),
    )


def field_values(valid: dict[str, str], extra: dict[str, st.SearchStrategy[str]] | None = None):
    """A form's data: each field either its valid value, absent, or something hostile.

    Mixing valid values in lets some examples get past validation, so hostile
    text in one field is stored and shown again on the next page.
    """
    extra = extra or {}

    def one(name: str, value: str) -> st.SearchStrategy:
        return st.one_of(st.just(value), st.none(), extra.get(name, hostile()))

    return st.fixed_dictionaries({name: one(name, value) for name, value in valid.items()}).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def query_values(names: list[str], extra: dict[str, st.SearchStrategy[str]] | None = None):
    """Query parameters: each name absent or hostile."""
    extra = extra or {}
    return st.fixed_dictionaries({name: st.none() | extra.get(name, hostile()) for name in names}).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )
