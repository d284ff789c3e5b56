"""dedup: turn scraped, messy text into clean, deduplicated documents."""

from __future__ import annotations

import logging

from dedup.cleaning.cleaner import clean
from dedup.config import CleanConfig, CustomRule, RepeatConfig, UnicodeConfig
from dedup.errors import (
    ConfigError,
    DedupError,
    DuplicateIdError,
    IndexFileError,
    InputError,
    MissingExtraError,
)
from dedup.report import CleanResult, DocumentMetadata, MetadataField, Removal, UnicodeFix
from dedup.rules import RULES, RuleInfo

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "CleanConfig",
    "CleanResult",
    "ConfigError",
    "CustomRule",
    "DedupError",
    "DocumentMetadata",
    "DuplicateIdError",
    "IndexFileError",
    "InputError",
    "MetadataField",
    "MissingExtraError",
    "Removal",
    "RepeatConfig",
    "RuleInfo",
    "UnicodeConfig",
    "__version__",
    "clean",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
