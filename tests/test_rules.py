"""Every rule id is registered once, documented in docs/rules.md and listed in the README."""

from __future__ import annotations

from pathlib import Path

import dedup

ROOT = Path(__file__).resolve().parents[1]


def test_rule_ids_are_unique_and_namespaced() -> None:
    ids = [rule.id for rule in dedup.RULES]
    assert len(ids) == len(set(ids))
    assert all(rule_id.count(".") == 1 and rule_id == rule_id.lower() for rule_id in ids)
    assert set(ids) == dedup.RULE_IDS


def test_every_rule_is_documented_in_rules_md_and_readme() -> None:
    rules_md = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in dedup.RULES:
        assert f"`{rule.id}`" in rules_md, rule.id
        assert f"`{rule.id}`" in readme, rule.id


def test_removals_only_use_registered_rules(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        for removal in dedup.clean(text).removals:
            assert removal.rule in dedup.RULE_IDS
