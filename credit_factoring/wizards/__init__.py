from . import credit_factoring_batch_add
