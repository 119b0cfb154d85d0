from . import credit_dunning_preview
from . import credit_factoring_batch_add
