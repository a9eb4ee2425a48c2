"""The garbage collector is paused for an import's length, collects every few batches, and is
left as it was found."""

from __future__ import annotations

import gc
import weakref

import pytest

from sourcing.runs.collector import FULL_EVERY, CollectorPause


@pytest.fixture(autouse=True)
def _collector_restored():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_enabled_again_after():
    gc.enable()
    with CollectorPause():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_enabled_again_after_an_error():
    gc.enable()
    with pytest.raises(RuntimeError), CollectorPause():
        raise RuntimeError("batch failed")
    assert gc.isenabled()


def test_left_disabled_when_it_was():
    gc.disable()
    with CollectorPause():
        pass
    assert not gc.isenabled()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _alive(refs: list[weakref.ref[_Cycle]]) -> int:
    return sum(ref() is not None for ref in refs)


def test_cycles_are_freed_every_few_batches():
    gc.enable()
    gc.collect()
    with CollectorPause(every=3) as collector:
        refs = [weakref.ref(_Cycle()) for _ in range(100)]
        assert _alive(refs) == 100  # unreachable, but paused: nothing collects them yet
        collector.batch_done()
        collector.batch_done()
        assert _alive(refs) == 100
        collector.batch_done()  # the third batch
        assert _alive(refs) == 0


def test_cycles_that_outlive_a_collection_are_freed_by_the_next_full_one():
    gc.enable()
    gc.collect()
    with CollectorPause(every=3) as collector:
        held = [_Cycle() for _ in range(100)]
        refs = [weakref.ref(c) for c in held]
        for _ in range(3):
            collector.batch_done()  # a young collection: they are alive, and get older
        del held
        for _ in range(3, 3 * FULL_EVERY - 1):
            collector.batch_done()
        assert _alive(refs) == 100  # the young collections no longer look at them
        collector.batch_done()  # the full one
        assert _alive(refs) == 0


def test_what_was_alive_before_is_set_aside_for_the_length_of_the_import():
    with CollectorPause():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
