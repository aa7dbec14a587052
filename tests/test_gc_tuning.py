"""GC_THRESHOLDS (studio_clone/gc_tuning.py): the server's collector thresholds."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from studio_clone import gc_tuning


def test_the_default_and_given_thresholds_are_read():
    assert gc_tuning.thresholds(gc_tuning.DEFAULT) == (20000, 2, 500)
    assert gc_tuning.thresholds(" 1000, 10,10 ") == (1000, 10, 10)
    assert gc_tuning.thresholds("Python") is None


@pytest.mark.parametrize("value", ["", "1,2", "1,2,3,4", "a,b,c", "0,10,10", "-1,10,10"])
def test_a_wrong_value_is_refused_with_what_to_write(value):
    with pytest.raises(ImproperlyConfigured, match="three positive whole numbers"):
        gc_tuning.thresholds(value)


def test_applying_sets_the_collector_and_python_leaves_it():
    before = gc.get_threshold()
    try:
        gc_tuning.apply("1234,5,6")
        assert gc.get_threshold() == (1234, 5, 6)
        gc_tuning.apply("python")
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "(20000, 2, 500)"), ("python", "(700, 10, 10)")]
)
def test_the_asgi_application_applies_the_setting(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "GC_THRESHOLDS"}
    if value is not None:
        env["GC_THRESHOLDS"] = value
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, studio_clone.asgi; print(gc.get_threshold())"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.strip() == expected
