"""The report's HTML pieces: the page shell, a document's removals, a cluster's diff.

People read the report to decide whether to trust the tool, so it shows the
evidence rather than totals alone: each document's removed spans struck
through in their context with the rule and its reason written out beside
them, and duplicate clusters with the words that differ highlighted. Which
pages exist and what goes on each is :mod:`dedup.corpus.report_pages`'s
business; this module turns one item into HTML.

Document text is untrusted input (scraped pages carry ``<script>`` tags and
``onerror=`` attributes). Every string from a document goes through
:func:`html.escape` with quotes, data for the script goes through
:func:`script_json` (``<``, ``>``, ``&`` and U+2028/2029 escaped), and each
page's Content-Security-Policy allows only the report's own script file: no
inline script, no event handler attribute, no network load. So even a mistake
in escaping could not run code or fetch anything.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

from rapidfuzz.distance import Indel

from dedup.report import Removal

__all__ = ["diff_html", "e", "marked_excerpt", "page", "reasons_list", "script_json"]

_TOKEN = re.compile(r"\s+|\S+")
#: What :func:`html.escape` with ``quote=True`` replaces.
_SPECIAL = re.compile("[&<>\"']")
#: Characters of context shown around each removal; the whole text is in documents.jsonl.
CONTEXT_CHARS = 160
#: A removal longer than this shows its start and end only.
_REMOVAL_CHARS = 1_200
_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")


def e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute.

    >>> e('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    text = value if type(value) is str else str(value)
    # Most ids, rules and texts hold nothing to escape: one search instead of five
    # replaces (a report calls this about 25 times per document with removals).
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def script_json(value: object) -> str:
    """Return ``value`` as JSON that is safe inside a script file or a ``<script>`` element.

    >>> script_json({"id": "</script>\\u2028&"})
    '{"id":"\\\\u003c/script\\\\u003e\\\\u2028\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(*, title: str, subtitle: str, body: str, base: str, home: str,
         nav: str = "", attributes: str = "") -> str:
    """Return a whole page: ``base`` is the path from it to the ``report/`` folder."""
    return "".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f'<link rel="stylesheet" href="{base}report.css"></head>',
        f'<body data-base="{base}"{attributes}>',
        f'<header><h1><a href="{home}">dedup report</a></h1><p>{e(subtitle)}</p></header>',
        nav, f"<main>{body}</main>",
        f'<script src="{base}report.js"></script></body></html>\n',
    ])


def _shown_removal(text: str) -> str:
    if len(text) <= _REMOVAL_CHARS:
        return e(text)
    head, tail = text[:_REMOVAL_CHARS // 2], text[-_REMOVAL_CHARS // 4:]
    hidden = len(text) - len(head) - len(tail)
    return f'{e(head)}<span class="gap"> [… {hidden:,} characters …] </span>{e(tail)}'


def marked_excerpt(text: str, removals: Sequence[Removal], *,
                   context: int = CONTEXT_CHARS) -> str:
    """Return the removals struck through in ``context`` characters of their surroundings.

    >>> marked_excerpt("Story.\\n<b>Reuter</b>", [Removal(start=7, end=20, rule="corpus.x")])
    'Story.\\n<del class="rm" data-rule="corpus.x">&lt;b&gt;Reuter&lt;/b&gt;</del>'
    """
    pieces: list[str] = []
    position = 0  # everything before it is shown or elided
    ordered = sorted(removals, key=lambda r: (r.start, r.end))
    for removal in ordered:
        start = max(removal.start, position)
        if start >= removal.end:
            continue
        shown_from = max(position, start - context)
        if shown_from > position:
            pieces.append(f'<span class="gap">[… {shown_from - position:,} characters …]</span>')
        pieces.append(e(text[shown_from:start]))
        pieces.append(f'<del class="rm" data-rule="{e(removal.rule)}">'
                      f"{_shown_removal(text[start:removal.end])}</del>")
        position = removal.end
    tail_end = min(len(text), position + context)
    pieces.append(e(text[position:tail_end]))
    if tail_end < len(text):
        pieces.append(f'<span class="gap">[… {len(text) - tail_end:,} characters …]</span>')
    return "".join(pieces)


def reasons_list(text: str, removals: Sequence[Removal], *, limit: int = 12) -> str:
    """Return each removal's rule, reason and removed text, visible without hovering."""
    items = []
    for removal in sorted(removals, key=lambda r: (r.start, r.end))[:limit]:
        removed = text[removal.start:removal.end].strip()
        if len(removed) > 160:
            removed = removed[:160] + "…"
        detail = f" {e(removal.detail)}" if removal.detail else ""
        shown = f"<q>{e(removed)}</q>" if removed else '<span class="note">(white space)</span>'
        items.append(f'<li><code class="rule">{e(removal.rule)}</code>{detail}: {shown}</li>')
    if len(removals) > limit:
        items.append(f"<li>and {len(removals) - limit:,} more removals "
                     "(every one is in documents.jsonl)</li>")
    return '<ul class="reasons">' + "".join(items) + "</ul>"


def diff_html(left: str, right: str) -> tuple[str, str]:
    """Return both texts escaped, with the words only one of them has marked.

    The fewest tokens (words and the white space between them) are marked: the
    rest is a longest common subsequence of the two token lists (rapidfuzz's
    ``Indel`` opcodes). difflib's ``SequenceMatcher``, used before, ignores
    tokens that are everywhere when anchoring its matches (autojunk: white
    space and "the" in any text of 200 tokens), so on two 4,000-character
    versions of a wire story with one word in 30 changed it marked 36 times the
    tokens that differ, most of the text, and took 2.7 ms a pair against 0.12.

    >>> diff_html("The bank raised rates.", "The bank cut rates.")[1]
    'The bank <mark class="only-right">cut</mark> rates.'
    """
    left_tokens = _TOKEN.findall(left)
    right_tokens = _TOKEN.findall(right)
    left_parts: list[str] = []
    right_parts: list[str] = []
    for opcode in Indel.opcodes(left_tokens, right_tokens):
        left_text = e("".join(left_tokens[opcode.src_start:opcode.src_end]))
        right_text = e("".join(right_tokens[opcode.dest_start:opcode.dest_end]))
        if opcode.tag == "equal":
            left_parts.append(left_text)
            right_parts.append(right_text)
            continue
        if left_text:
            left_parts.append(f'<mark class="only-left">{left_text}</mark>')
        if right_text:
            right_parts.append(f'<mark class="only-right">{right_text}</mark>')
    return "".join(left_parts), "".join(right_parts)
