"""Config validation: every bad field raises ConfigError naming the field and the value."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from dedup.config import (
    CleanConfig,
    CustomRule,
    LineScoreConfig,
    RepeatConfig,
    UnicodeConfig,
    fingerprint,
)
from dedup.errors import ConfigError, DedupError

INVALID: list[tuple[Any, dict[str, Any], str, str]] = [
    # (class, kwargs, field named in the message, value shown in the message)
    (UnicodeConfig, {"normalization": "NFD"}, "normalization", "'NFD'"),
    (RepeatConfig, {"min_similarity": 0.0}, "min_similarity", "0.0"),
    (RepeatConfig, {"min_similarity": 1.5}, "min_similarity", "1.5"),
    (RepeatConfig, {"min_words": 0}, "min_words", "0"),
    (RepeatConfig, {"shingle_size": 0}, "shingle_size", "0"),
    (RepeatConfig, {"shingle_size": 9}, "shingle_size", "9"),
    (LineScoreConfig, {"length_low": 0}, "length_low", "0"),
    (LineScoreConfig, {"length_low": 300, "length_high": 200}, "length_low", "300"),
    (LineScoreConfig, {"stopwords_low": 0.5, "stopwords_high": 0.4}, "stopwords_low", "0.5"),
    (LineScoreConfig, {"stopwords_low": -0.1}, "stopwords_low", "-0.1"),
    (CustomRule, {"rule": "promo", "phrases": ("x",)}, "rule", "'promo'"),
    (CustomRule, {"rule": "custom.Promo", "phrases": ("x",)}, "rule", "'custom.Promo'"),
    (CustomRule, {"rule": "boilerplate.share", "phrases": ("x",)}, "rule",
     "'boilerplate.share'"),
    (CustomRule, {"rule": "custom.p", "phrases": ("x",), "language": "fi"}, "language", "'fi'"),
    (CustomRule, {"rule": "custom.p", "patterns": ("([unclosed",)}, "custom.p",
     "'([unclosed'"),
    (CustomRule, {"rule": "custom.p"}, "custom.p", "phrase or pattern"),
    (CustomRule, {"rule": "custom.p", "phrases": "Buy now"}, "custom.p", "not one string"),
    (CleanConfig, {"disabled_rules": frozenset({"boilerplate.shares"})}, "disabled_rules",
     "'boilerplate.shares'"),
    (CleanConfig, {"disabled_rules": "boilerplate"}, "disabled_rules", "'boilerplate'"),
    (CleanConfig, {"languages": ("en", "fi")}, "languages", "'fi'"),
    (CleanConfig, {"languages": "en"}, "languages", "'en'"),
    (CleanConfig, {"custom_rules": (CustomRule(rule="custom.x", phrases=("a",)),
                                    CustomRule(rule="custom.x", phrases=("b",)))},
     "custom_rules", "share one id"),
    (CleanConfig, {"favor": "speed"}, "favor", "'speed'"),
    (RepeatConfig, {"min_teaser_similarity": 0.0}, "min_teaser_similarity", "0.0"),
]


@pytest.mark.parametrize(("cls", "kwargs", "field", "shown"), INVALID,
                         ids=[f"{c.__name__}-{'-'.join(k)}-{i}" for i, (c, k, _, _)
                              in enumerate(INVALID)])
def test_invalid_field_raises_config_error_naming_field_and_value(
        cls: Any, kwargs: dict[str, Any], field: str, shown: str) -> None:
    with pytest.raises(ConfigError) as caught:
        cls(**kwargs)
    message = str(caught.value)
    assert field in message
    assert shown in message
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, DedupError)


def test_valid_edge_values_are_accepted() -> None:
    RepeatConfig(min_similarity=1.0, min_words=1, shingle_size=8)
    LineScoreConfig(length_low=1, length_high=2, stopwords_low=0.0, stopwords_high=1.0)
    UnicodeConfig(normalization="none")
    CleanConfig(disabled_rules=frozenset({"boilerplate", "repeat.block", "custom"}),
                languages=("fa",))
    rule = CustomRule(rule="custom.promo_2", phrases=("Buy the print edition",))
    CleanConfig(custom_rules=(rule,), disabled_rules=frozenset({"custom.promo_2"}))


def test_disabled_rules_accepts_any_iterable_and_freezes_it() -> None:
    config = CleanConfig(disabled_rules={"repeat"})  # type: ignore[arg-type]
    assert isinstance(config.disabled_rules, frozenset)
    assert not config.is_enabled("repeat.teaser")
    assert config.is_enabled("boilerplate.share")


def test_fingerprint_is_stable_and_has_12_hex_digits() -> None:
    first = CleanConfig().fingerprint()
    assert first == CleanConfig().fingerprint() == fingerprint(CleanConfig())
    assert len(first) == 12
    int(first, 16)


def test_fingerprint_ignores_set_order() -> None:
    a = CleanConfig(disabled_rules=frozenset(["repeat", "boilerplate.share", "metadata"]))
    b = CleanConfig(disabled_rules=frozenset(["metadata", "boilerplate.share", "repeat"]))
    assert a.fingerprint() == b.fingerprint()


@pytest.mark.parametrize("changes", [
    {"disabled_rules": frozenset({"repeat"})},
    {"languages": ("en",)},
    {"custom_rules": (CustomRule(rule="custom.x", phrases=("Buy",)),)},
    {"unicode": UnicodeConfig(uncurl_quotes=True)},
    {"repeats": RepeatConfig(min_similarity=0.6)},
    {"line_score": LineScoreConfig(enabled=False)},
    {"explain": False},
    {"favor": "precision"},
])
def test_fingerprint_changes_with_every_field(changes: dict[str, Any]) -> None:
    assert dataclasses.replace(CleanConfig(), **changes).fingerprint() != \
        CleanConfig().fingerprint()


def test_every_clean_config_field_is_covered_by_the_fingerprint_test() -> None:
    assert {f.name for f in dataclasses.fields(CleanConfig)} == {
        "disabled_rules", "languages", "custom_rules", "unicode", "repeats", "line_score",
        "explain", "favor"}


@dataclasses.dataclass(frozen=True)
class _Probe:
    names: frozenset[str] = frozenset({"b", "a"})
    size: int = 3
    inner: tuple[object, ...] = (1.5, "x")


def test_fingerprint_is_a_pinned_content_hash() -> None:
    # A literal value: the hash must not depend on PYTHONHASHSEED, set order or the process
    # (builtin hash() would fail this in another interpreter run).
    assert fingerprint(_Probe()) == "7fa8d8a492dd"
    assert fingerprint(_Probe(names=frozenset({"a", "b"}))) == "7fa8d8a492dd"
    assert fingerprint(_Probe(size=4)) != "7fa8d8a492dd"


@pytest.mark.parametrize("obj", [CleanConfig(), UnicodeConfig(), RepeatConfig(),
                                 LineScoreConfig(), CustomRule(rule="custom.x", phrases=("a",))])
def test_configs_are_frozen(obj: object) -> None:
    name = dataclasses.fields(obj)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, name, getattr(obj, name))


def test_clean_config_has_no_instance_dict() -> None:
    assert not hasattr(CleanConfig(), "__dict__")


def test_clean_config_is_hashable_and_equal_by_value() -> None:
    assert CleanConfig(languages=("en",)) == CleanConfig(languages=("en",))
    assert hash(CleanConfig(languages=("en",))) == hash(CleanConfig(languages=("en",)))


def test_custom_rules_of_the_wrong_type_raise_config_error() -> None:
    with pytest.raises(ConfigError, match=r"custom_rules.*'custom\.x'"):
        CleanConfig(custom_rules=("custom.x",))  # type: ignore[arg-type]
