"""Values that must be inert in every parameter of every operation, on both stores."""

from __future__ import annotations

# Strings that must be inert in every parameter: SQL and Cypher metacharacters, the separators the
# stores use inside keys and name indexes, control characters, mixed scripts, direction marks.
HOSTILE = [
    "'}) DETACH DELETE n //",
    "') MATCH (n) DETACH DELETE n RETURN 1 //",
    '"; DROP TABLE entities; --',
    "' OR '1'='1",
    "1; DELETE FROM evidence",
    "`Entity`",
    "$(id)",
    "{id}",
    "%_%",
    ".*",
    "(?i)(a+)+$",
    "|",
    "|中国|",
    "country:CN|DEPENDS_ON|commodity:rare-earths|",
    "country:CN\x00",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\r\n\t\x7f",
    "\u202e\u200bChina\ufeff",
    "Кitай中国ﾁｬｲﾅ😀",
    "ｃｏｕｎｔｒｙ：ＣＮ",
    "../../../../etc/passwd",
    "%2e%2e%2f%00",
    "null",
    "{}",
    "中" * 300,
    "a" * 301,
    "x" * 20000,
]

# Values that are not what a typed parameter takes.
BAD_VALUES = {
    "integer": ["-1", "0", "1.5", "NaN", "1e309", "99999999999999999999999", "0x10", "", " ", "1; DROP TABLE x"],
    "number": ["NaN", "inf", "-inf", "1.5", "-0.1", "1e309", "", "abc"],
    "date": ["2025-13-40", "2025-02-30", "0", "1735689600", "20250101", "2025-1-1", "", "today"],
}
