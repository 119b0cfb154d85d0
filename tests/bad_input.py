"""A catalogue of bad input: what a client can send a route instead of what its page sends.

Each table maps a name (the test's id) to a value:

- ``TEXT``: the text of a form field, of a URL segment or of a header, where an id, an
  amount, a date or a token is expected: wrong types, huge and negative numbers, NaN and
  infinity, digits that are not ASCII (``str.isdigit()`` is true for ``²``; ``int()`` reads
  Arabic-Indic digits), 5,000 characters, SQL metacharacters, NUL and control characters;
- ``DATES``: text that looks like a date and is none, or is a date out of range;
- ``JSON_VALUES``: the parameter of a JSON route: every JSON type, numbers out of range,
  NaN and infinity (Python's ``json`` reads them), and the ``TEXT`` values as strings;
- ``JSON_BODIES``: bodies of a JSON request that are not a JSON-RPC call (not a JSON
  object whose ``params`` is a list or a string: Odoo's dispatcher fails on those before
  any route is called);
- ``SIGNATURES``: values of a signature header (bytes: sent as they are, not as a client
  library would encode them);
- ``HEADERS``: headers a browser would not send (a garbage language, a garbage session).
"""

TEXT = {
    "empty": "",
    "blank": "   ",
    "word": "abc",
    "negative": "-1",
    "zero": "0",
    "decimal": "1.5",
    "exponent": "1e3",
    "int4_overflow": "2147483648",
    "huge": "9" * 30,
    "digits_5000": "1" * 5000,
    "nan": "NaN",
    "infinity": "Infinity",
    "superscript_two": "²",
    "arabic_indic_12": "\u0661\u0662",
    "fullwidth_12": "\uff11\uff12",
    "text_5000": "x" * 5000,
    "sql_quote": "1' OR '1'='1",
    "sql_statement": "1; DROP TABLE account_move; --",
    "nul": "1\x00",
    "control": "\x1b[2J",
    "emoji": "💶",
    "right_to_left": "\u202e1",
    "html": "<script>alert(1)</script>",
}

DATES = {
    "month_13": "2026-13-01",
    "day_32": "2026-01-32",
    "year_zero": "0000-01-01",
    "year_99999": "99999-12-31",
    "negative_year": "-2026-01-01",
    "french_format": "31/12/2026",
    "words": "next monday",
    "arabic_indic": "\u0662\u0660\u0662\u0666-\u0660\u0667-\u0660\u0661",  # 2026-07-01
    **TEXT,
}

JSON_VALUES = {
    "null": None,
    "true": True,
    "false": False,
    "negative": -1,
    "zero": 0,
    "float": 1.5,
    "int4_overflow": 2**31,
    "int8_overflow": 2**63,
    "huge": 10**30,
    "nan": float("nan"),
    "infinity": float("inf"),
    "minus_infinity": float("-inf"),
    "list": [1, 2],
    "empty_list": [],
    "object": {"id": 1},
    **{f"text_{name}": value for name, value in TEXT.items()},
}

JSON_BODIES = {
    "not_json": b"not json",
    "truncated": b'{"jsonrpc": "2.0", "method": "call", "params": {',
    "array": b"[1, 2]",
    "string": b'"call"',
    "null": b"null",
    "number_5000_digits": b'{"jsonrpc": "2.0", "params": {"amount": ' + b"1" * 5000 + b"}}",
    "invalid_utf8": b'{"jsonrpc": "2.0", "params": {"amount": "\xff\xfe"}}',
    "raw_nul": b'{"jsonrpc": "2.0", "params": {"amount": "\x00"}}',
    "empty": b"",
}

SIGNATURES = {
    "empty": "",
    "no_prefix": "0" * 64,
    "not_hex": "sha256=" + "z" * 64,
    "short": "sha256=00",
    "long": "sha256=" + "a" * 5000,
    "latin1": "sha256=²",
    "utf8_bytes": "sha256=é€".encode(),
    "nul": "sha256=\x00",
    "upper_prefix": "SHA256=" + "0" * 64,
}

HEADERS = {
    "language_garbage": {"Accept-Language": "xx-YY;q=NaN, *;q=1e999, ;;;"},
    "language_long": {"Accept-Language": "fr-FR," * 1000},
    "language_bytes": {"Accept-Language": "fr-\xe9\xe8".encode("latin-1") + "€".encode()},
    "session_garbage": {"Cookie": "session_id=../../etc/passwd; frontend_lang=zz_ZZ"},
    "session_long": {"Cookie": "session_id=" + "a" * 4000},
    "forwarded_garbage": {"X-Forwarded-For": "not-an-address, ²", "X-Forwarded-Host": "evil"},
}
