"""Awkward but realistic article texts for the hardening suites (no Qt, no project)."""

from __future__ import annotations

import random

#: pieces that break naive offset, encoding and display code
HARD_PIECES = [
    "Tokyo", "Москва", "北京", "東京で会談", "𠮷野家", "𩸽", "👍🏽", "👨‍👩‍👧", "🇯🇵", "e\u0301",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202b", "\u202c", "\u2066", "\u2069", "\ufeff",
    "مرحبا بالعالم", "שלום", "\u00a0", "\t", "«два плюс два»", "„Zitat“", "ﬁ",
    "<b>bold</b>", "<img src=\"http://example.invalid/x.png\">", "<script>alert(1)</script>",
    "<font color=red>x</font>", "&amp;", "&lt;tag&gt;", "<!-- c -->", "<qt>", "%s", "{0}",
    "\\", "'", '"', "`", "--", ";", "DROP TABLE articles;",
]

WORDS = ["the", "talks", "ministers", "security", "islands", "dialogue", "economic", "missile",
         "переговоры", "безопасность", "会談", "安全保障", "外交", "كلمة", "מילה"]


def hard_text(rng: random.Random, n_words: int = 60, *, tag: str = "") -> str:
    """A paragraph-structured text mixing scripts, marks and markup; ``tag`` makes it unique."""
    parts: list[str] = [f"Report {tag}." if tag else "Report."]
    for i in range(n_words):
        parts.append(rng.choice(HARD_PIECES) if rng.random() < 0.25 else rng.choice(WORDS))
        if rng.random() < 0.08:
            parts.append(".\n\n" if rng.random() < 0.5 else ".\n")
    return " ".join(parts).strip() + "."


def memo_text(rng: random.Random) -> str:
    return " ".join(rng.choice(HARD_PIECES + WORDS) for _ in range(rng.randint(1, 6)))
