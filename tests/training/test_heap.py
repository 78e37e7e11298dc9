import gc

from training.heap import freeze_startup_objects


def test_start_up_objects_leave_the_collectors_generations_and_later_garbage_is_still_collected():
    class Cycle:
        pass

    start_up = [["made before the freeze"]]  # a container the collector tracks
    assert any(o is start_up for o in gc.get_objects())  # positive control: tracked before
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        # Frozen: in the permanent generation, which no collection walks (get_objects lists
        # generations 0-2 only). The freeze count itself may fall: frozen objects are still
        # freed by reference counting.
        assert not any(o is start_up for o in gc.get_objects())
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a  # a reference cycle made after start-up
        del a, b
        assert gc.collect() >= 2  # still found and freed
    finally:
        gc.unfreeze()
