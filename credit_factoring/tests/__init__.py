from . import test_factoring_batch
