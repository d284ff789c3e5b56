"""dedup: turn scraped, messy text into clean, deduplicated documents."""

from __future__ import annotations

import logging

# First: with DEDUP_PURE_PYTHON set, it makes the modules below load from their source.
import dedup._compiled  # noqa: F401  (imported for that effect)
from dedup.cleaning.cleaner import clean
from dedup.config import CleanConfig, CustomRule, RepeatConfig, UnicodeConfig
from dedup.corpus.annotate import clean_frame, deduplicate_frame
from dedup.corpus.crossdoc import CrossDocConfig
from dedup.corpus.dedupe import deduplicate
from dedup.corpus.manifest import ManifestEntry, RunSummary
from dedup.corpus.pipeline import run
from dedup.corpus.steps import RunConfig
from dedup.errors import (
    ConfigError,
    DedupError,
    DuplicateIdError,
    IndexFileError,
    InputError,
    MissingExtraError,
    OutputLockedError,
    OutputWriteError,
)
from dedup.near.config import DedupConfig, MemberInfo
from dedup.near.index import NearDuplicateIndex
from dedup.near.result import Cluster, DedupResult, Duplicate, Rejection, SharedPassage
from dedup.report import CleanResult, DocumentMetadata, MetadataField, Removal, UnicodeFix
from dedup.rules import RULE_IDS, RULES, RuleInfo

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "RULE_IDS",
    "CleanConfig",
    "CleanResult",
    "Cluster",
    "ConfigError",
    "CrossDocConfig",
    "CustomRule",
    "DedupConfig",
    "DedupError",
    "DedupResult",
    "DocumentMetadata",
    "Duplicate",
    "DuplicateIdError",
    "IndexFileError",
    "InputError",
    "ManifestEntry",
    "MemberInfo",
    "MetadataField",
    "MissingExtraError",
    "NearDuplicateIndex",
    "OutputLockedError",
    "OutputWriteError",
    "Rejection",
    "Removal",
    "RepeatConfig",
    "RuleInfo",
    "RunConfig",
    "RunSummary",
    "SharedPassage",
    "UnicodeConfig",
    "UnicodeFix",
    "__version__",
    "clean",
    "clean_frame",
    "deduplicate",
    "deduplicate_frame",
    "run",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
