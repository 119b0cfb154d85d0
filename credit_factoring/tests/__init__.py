from . import test_factoring_batch
from . import test_factoring_dunning
from . import test_factoring_statement
from . import test_factoring_access
