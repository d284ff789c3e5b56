"""The DDL schema of a ``mapInArrow`` step that passes every column through and adds some.

``mapInArrow`` must be told its output schema up front; the cleaning and
hashing steps both keep the caller's columns (whatever their types) and append
their own, so both build it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["extended_schema"]


def extended_schema(frame: DataFrame, added: tuple[tuple[str, str], ...]) -> str:
    """Return ``frame``'s columns and types followed by ``added`` ``(name, type)`` pairs, as DDL.

    Examples:
        >>> extended_schema(spark.range(1), (("flag", "boolean"),))  # doctest: +SKIP
        '`id` bigint, `flag` boolean'
    """
    existing = [f"`{field.name}` {field.dataType.simpleString()}" for field in frame.schema.fields]
    return ", ".join(existing + [f"`{name}` {kind}" for name, kind in added])
