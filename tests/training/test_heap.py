import gc

from training.heap import freeze_startup_objects


def test_start_up_objects_leave_the_collectors_generations_and_later_garbage_is_still_collected():
    class Cycle:
        pass

    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a  # a reference cycle made after start-up
        del a, b
        assert gc.collect() >= 2  # still found and freed
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
