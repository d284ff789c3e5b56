"""dedup: turn scraped, messy text into clean, deduplicated documents."""

from __future__ import annotations

import logging

from dedup.cleaning.cleaner import clean
from dedup.config import CleanConfig, CustomRule, RepeatConfig, UnicodeConfig
from dedup.corpus.dedupe import deduplicate
from dedup.errors import (
    ConfigError,
    DedupError,
    DuplicateIdError,
    IndexFileError,
    InputError,
    MissingExtraError,
)
from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.index import NearDuplicateIndex
from dedup.near.result import Cluster, DedupResult, Duplicate, Rejection, SharedPassage
from dedup.report import CleanResult, DocumentMetadata, MetadataField, Removal, UnicodeFix
from dedup.rules import RULES, RuleInfo

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "CleanConfig",
    "CleanResult",
    "Cluster",
    "ConfigError",
    "CustomRule",
    "DedupConfig",
    "DedupError",
    "DedupResult",
    "DocumentMetadata",
    "Duplicate",
    "DuplicateIdError",
    "IndexFileError",
    "InputError",
    "MemberInfo",
    "MetadataField",
    "MissingExtraError",
    "NearDuplicateIndex",
    "Rejection",
    "Removal",
    "RepeatConfig",
    "RuleInfo",
    "SharedPassage",
    "UnicodeConfig",
    "__version__",
    "clean",
    "deduplicate",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
