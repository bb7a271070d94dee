"""`python -m sandbox --help` names every command the parser accepts."""

from __future__ import annotations

import argparse

from sandbox.__main__ import parser


def test_help_lists_every_command() -> None:
    root = parser()
    commands = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert sorted(commands) == sorted(
        [
            "serve",
            "lambda",
            "seed",
            "cfn-test",
            "contract-test",
            "rehearse",
            "reliability",
            "bench",
            "cloudcontrol-demo",
        ]
    )
    help_text = root.format_help()
    assert all(f"\n{name} " in help_text for name in commands)
