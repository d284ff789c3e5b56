"""The public surface of ``dedup``: pinned, importable, and light to import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dedup

PUBLIC = [
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


def test_all_is_pinned() -> None:
    # Adding or removing a public name is an API change: update this list on purpose.
    assert list(dedup.__all__) == PUBLIC


def test_all_has_no_duplicates() -> None:
    assert len(set(dedup.__all__)) == len(dedup.__all__)


def test_every_public_name_is_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from dedup import " + ", ".join(PUBLIC), namespace)
    for name in PUBLIC:
        assert namespace[name] is getattr(dedup, name)


def test_clean_is_the_function_not_the_subpackage() -> None:
    assert callable(dedup.clean)
    assert dedup.clean("plain text").text == "plain text"


def test_clean_rejects_bytes() -> None:
    with pytest.raises(TypeError, match="bytes"):
        dedup.clean(b"text")  # type: ignore[arg-type]


def test_version_is_a_string() -> None:
    assert isinstance(dedup.__version__, str)
    assert dedup.__version__.count(".") >= 2


def _modules_after_import_dedup() -> set[str]:
    code = ("import json, sys, dedup; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": "src"}).stdout
    return set(json.loads(out))


_IMPORTED: list[set[str]] = []


def imported_by_dedup() -> set[str]:
    """Top-level modules ``import dedup`` loads in a fresh interpreter (run once)."""
    if not _IMPORTED:
        _IMPORTED.append(_modules_after_import_dedup())
    return _IMPORTED[0]


def test_import_dedup_does_not_import_spark_arrow_or_pandas() -> None:
    assert imported_by_dedup() & {"pyspark", "pyarrow", "pandas"} == set()


def test_import_dedup_does_not_import_redis() -> None:
    assert "redis" not in imported_by_dedup()


def test_errors_form_one_hierarchy() -> None:
    for name in ("ConfigError", "DuplicateIdError", "IndexFileError", "InputError",
                 "MissingExtraError", "OutputLockedError", "OutputWriteError"):
        assert issubclass(getattr(dedup, name), dedup.DedupError)
    assert issubclass(dedup.ConfigError, ValueError)
    assert issubclass(dedup.OutputWriteError, OSError)
