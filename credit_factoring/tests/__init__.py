from . import test_factoring_access
from . import test_factoring_batch
from . import test_factoring_customer_documents
from . import test_factoring_demo
from . import test_factoring_dunning
from . import test_factoring_figures
from . import test_factoring_statement
from . import test_i18n
