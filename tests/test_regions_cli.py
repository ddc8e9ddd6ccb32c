"""python -m etl regions find NAME [--near PLACE]: the places a name can be, with code, level and parents."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def find(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "regions", "find", *args], capture_output=True, text=True,
                          cwd=ROOT, encoding="utf-8", timeout=120)


def test_a_shared_name_lists_every_place_with_code_level_and_parents():
    proc = find("鼓楼区")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "320106  county  南京市鼓楼区  江苏省 > 南京市"
    assert [line.split()[0] for line in lines] == ["320106", "320302", "350102", "410204"]


def test_near_puts_the_places_related_to_it_first():
    lines = find("鼓楼区", "--near", "福州市").stdout.splitlines()
    assert lines[0] == "350102  county  福州市鼓楼区  福建省 > 福州市" and len(lines) == 4
    assert find("荷花镇", "--near", "腾冲市").stdout.splitlines()[0].startswith("530581111  township  腾冲市荷花镇")


def test_a_code_and_a_former_name_are_found():
    assert find("320106").stdout.splitlines() == ["320106  county  南京市鼓楼区  江苏省 > 南京市"]
    assert find("宁乡县").stdout.startswith("430182  county  宁乡市  湖南省 > 长沙市  (宁乡县: former name")


def test_a_name_nobody_has_is_an_error():
    proc = find("不存在县")
    assert proc.returncode == 1 and proc.stdout == "" and "no region named '不存在县'" in proc.stderr
