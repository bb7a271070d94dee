"""Tag merging and diffing."""

from aws_sagemaker_inferenceexperiment.tags import managed_tags, tag_changes


def test_template_wins_and_aws_keys_are_dropped() -> None:
    merged = managed_tags(
        [{"Key": "team", "Value": "template"}, {"Key": "aws:x", "Value": "1"}],
        {"team": "stack", "env": "prod", "aws:cloudformation:stack-name": "s"},
    )
    assert merged == {"team": "template", "env": "prod"}
    assert managed_tags(None, None) == {}


def test_changes_touch_only_managed_keys() -> None:
    to_add, to_remove = tag_changes({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "20", "d": "4"})
    assert to_add == {"b": "20", "d": "4"}
    assert to_remove == ["c"]
    assert tag_changes({}, {}) == ({}, [])
