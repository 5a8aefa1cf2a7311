"""linmod._cached.cached_property: computed on first read, then kept per instance."""

from __future__ import annotations

import threading

from linmod._cached import cached_property


class _Counted:
    def __init__(self, value: int) -> None:
        self.value = value
        self.calls = 0

    @cached_property
    def doubled(self) -> int:
        """Twice the value."""
        self.calls += 1
        return 2 * self.value


def test_computed_once_per_instance_and_kept_in_its_dict():
    first, second = _Counted(3), _Counted(5)
    assert (first.doubled, first.doubled, second.doubled) == (6, 6, 10)
    assert (first.calls, second.calls) == (1, 1)
    assert first.__dict__["doubled"] == 6


def test_deleting_the_value_recomputes_it():
    item = _Counted(4)
    assert item.doubled == 8
    item.value = 7
    del item.doubled
    assert item.doubled == 14
    assert item.calls == 2


def test_class_access_gives_the_descriptor_with_the_docstring():
    descriptor = _Counted.__dict__["doubled"]
    assert _Counted.doubled is descriptor
    assert descriptor.__doc__ == "Twice the value."
    assert descriptor.attrname == "doubled"


def test_no_lock_is_shared_between_instances():
    # functools.cached_property in Python 3.11 holds one lock per class while it computes:
    # a first read on another instance, in another thread, waited for this one to finish.
    started, release = threading.Event(), threading.Event()

    class Item:
        def __init__(self, blocks: bool) -> None:
            self.blocks = blocks

        @cached_property
        def value(self) -> int:
            if self.blocks:
                started.set()
                release.wait(5)
            return 1

    slow = Item(blocks=True)
    reader = threading.Thread(target=lambda: slow.value)
    reader.start()
    try:
        assert started.wait(5)
        finished = threading.Event()
        threading.Thread(target=lambda: (Item(blocks=False).value, finished.set())).start()
        assert finished.wait(2)  # not held up by the read still computing
    finally:
        release.set()
        reader.join(5)
