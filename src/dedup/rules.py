"""The registry of rule ids: one name per rule across config, report, CLI and docs.

A rule id is a stable, namespaced snake_case string (``boilerplate.share``).
The registry is an immutable tuple: rules are data, never registered at runtime.
User rules live under the ``custom.`` namespace and are declared in
:class:`dedup.CleanConfig`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "RULE_IDS", "RuleInfo", "Stage", "is_known_rule", "is_rule_enabled",
           "rule_family"]

Stage = Literal["normalize", "metadata", "boilerplate", "repeat", "corpus"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """One rule: its id, the stage that applies it, and what it removes or fixes."""

    id: str
    stage: Stage
    description: str


RULES: tuple[RuleInfo, ...] = (
    # Unicode and whitespace repair: these change characters, they remove no content.
    RuleInfo(id="normalize.mojibake", stage="normalize",
             description="ftfy re-decoded text that had been decoded with the wrong codec"),
    RuleInfo(id="normalize.html_entities", stage="normalize",
             description="ftfy unescaped HTML entities such as &amp; left in plain text"),
    RuleInfo(id="normalize.ftfy", stage="normalize",
             description="another ftfy repair step (its own name is given in the detail)"),
    RuleInfo(id="normalize.uncurl_quotes", stage="normalize",
             description="curly quotes made straight (off by default)"),
    RuleInfo(id="normalize.width", stage="normalize",
             description="fullwidth and halfwidth forms folded to normal width (off by default)"),
    RuleInfo(id="normalize.newlines", stage="normalize",
             description="CRLF, CR and Unicode line separators turned into \\n"),
    RuleInfo(id="normalize.spaces", stage="normalize",
             description="no-break and other Unicode spaces turned into a plain space"),
    RuleInfo(id="normalize.invisible", stage="normalize",
             description="zero-width, BOM and control characters dropped"),
    RuleInfo(id="normalize.trailing_whitespace", stage="normalize",
             description="spaces at the end of a line dropped"),
    RuleInfo(id="normalize.nfc", stage="normalize",
             description="Unicode NFC composition"),
    # Metadata lines: removed from the body, parsed into CleanResult.metadata.
    RuleInfo(id="metadata.date_header", stage="metadata",
             description="a leading line that only carries a date (and an 'updated' date)"),
    RuleInfo(id="metadata.date_prefix", stage="metadata",
             description="a date glued to the start of the first paragraph"),
    RuleInfo(id="metadata.agency_tag", stage="metadata",
             description="a news agency tag or dateline such as '(AFP)' or 'KABUL (Reuters) -'"),
    RuleInfo(id="metadata.date_line", stage="metadata",
             description="a line that carries only a date or a time, away from the head"),
    RuleInfo(id="metadata.byline", stage="metadata",
             description="a short 'By Name' line at the head of the article, or a byline "
                         "stamped with a date anywhere"),
    RuleInfo(id="metadata.page_title", stage="metadata",
             description="the page's title line: the headline further down with the site's "
                         "name, 'Headline | Site'"),
    # Boilerplate lines: phrase lists per language (phrases/*.tsv) and the line classifier.
    RuleInfo(id="boilerplate.navigation", stage="boilerplate",
             description="site navigation: 'Skip to main content', 'Home', 'Menu', 'Latest news'"),
    RuleInfo(id="boilerplate.share", stage="boilerplate",
             description="share and social buttons: 'Share this post', 'Tweet', 'Follow us'"),
    RuleInfo(id="boilerplate.comment_prompt", stage="boilerplate",
             description="comment forms: 'Please enter your comment!', 'Leave a reply'"),
    RuleInfo(id="boilerplate.newsletter", stage="boilerplate",
             description="newsletter and subscription calls"),
    RuleInfo(id="boilerplate.cookie_notice", stage="boilerplate",
             description="cookie, consent and site notices (reCAPTCHA, old-browser warnings)"),
    RuleInfo(id="boilerplate.advertisement", stage="boilerplate",
             description="advertisement markers: 'Advertisement', 'Sponsored'"),
    RuleInfo(id="boilerplate.read_more", stage="boilerplate",
             description="'Read more', 'Related', 'Recommended' headers of link lists"),
    RuleInfo(id="boilerplate.image_placeholder", stage="boilerplate",
             description="image placeholders and credits: 'thumbnail image', 'Photo: AP'"),
    RuleInfo(id="boilerplate.copyright", stage="boilerplate",
             description="copyright and footer lines: '© 2021 ...', 'All rights reserved'"),
    RuleInfo(id="boilerplate.counter", stage="boilerplate",
             description="counters: '12 comments', '3.4K shares', '5 min read'"),
    RuleInfo(id="boilerplate.low_content", stage="boilerplate",
             description="a line scored as boilerplate by its shape: short, few stopwords, no "
                         "sentence punctuation, among other boilerplate (the jusText idea)"),
    # Repeated blocks within one document: the first copy is kept.
    RuleInfo(id="repeat.block", stage="repeat",
             description="a later exact or near copy of an earlier run of paragraphs"),
    RuleInfo(id="repeat.title", stage="repeat",
             description="a later copy of the document's title line"),
    RuleInfo(id="repeat.teaser", stage="repeat",
             description="a shortened copy (teaser) of an earlier, longer paragraph"),
    # Learnt from a corpus (dedup run): lines too frequent across documents to be content.
    RuleInfo(id="corpus.frequent_line", stage="corpus",
             description="a line that recurs in many documents of one source (site footer, "
                         "wire trailer), learnt from the corpus"),
    RuleInfo(id="corpus.repeated_paragraph", stage="corpus",
             description="a paragraph copied from an earlier document (opt-in)"),
)

RULE_IDS: frozenset[str] = frozenset(rule.id for rule in RULES)
_FAMILIES: frozenset[str] = frozenset(rule.id.split(".", 1)[0] for rule in RULES)


def rule_family(rule_id: str) -> str:
    """Return the namespace of ``rule_id`` (``boilerplate`` for ``boilerplate.share``).

    >>> rule_family("repeat.block")
    'repeat'
    """
    return rule_id.split(".", 1)[0]


def is_rule_enabled(rule_id: str, disabled: frozenset[str]) -> bool:
    """Say whether ``rule_id`` runs when the ids and families in ``disabled`` are off.

    >>> is_rule_enabled("repeat.block", frozenset({"repeat"}))
    False
    """
    return rule_id not in disabled and rule_family(rule_id) not in disabled


def is_known_rule(rule_id: str) -> bool:
    """Say whether ``rule_id`` names a registered rule or a whole family of them.

    >>> is_known_rule("boilerplate.share"), is_known_rule("boilerplate"), is_known_rule("nope")
    (True, True, False)
    """
    return rule_id in RULE_IDS or rule_id in _FAMILIES
