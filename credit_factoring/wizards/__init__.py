from . import credit_factoring_batch_add
from . import credit_dunning_preview
