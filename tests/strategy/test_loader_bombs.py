"""The strategy loader refuses YAML alias bombs and deep nesting: exit code 2, a clear message, within a second."""

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kompass.strategy.loader import StrategyFileError, read_document

BILLION_LAUGHS = "\n".join(
    ['schema_version: 1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f'{chr(98 + i)}: &{chr(98 + i)} [{",".join(["*" + chr(97 + i)] * 9)}]' for i in range(8)]
    + ['strategy: *i']) + "\n"


@pytest.mark.parametrize("name, text, problem", [
    ("laughs.yaml", BILLION_LAUGHS, "aliases"),
    ("deep.yaml", "schema_version: 1\nstrategy: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
    ("deepmap.yaml", "schema_version: 1\nstrategy:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)),
     "nested"),
    ("deep.json", '{"schema_version": 1, "strategy": ' + "[" * 100000 + "]" * 100000 + "}", "nested"),
])
def test_bombs_exit_2_quickly(tmp_path, name, text, problem):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.process_time()  # CPU time: what the file costs us, whatever else the machine is doing
    with pytest.raises(StrategyFileError):
        read_document(path)
    assert time.process_time() - started < 1.0
    with pytest.raises(CommandError) as info:
        call_command("load_strategy", str(path), "--dry-run")
    assert info.value.returncode == 2
    assert str(path) in str(info.value) and problem in str(info.value)
