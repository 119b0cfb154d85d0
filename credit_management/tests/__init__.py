from . import test_credit_access
from . import test_credit_exposure
from . import test_credit_hold
from . import test_credit_identifiers
from . import test_credit_tour
from . import test_dunning_engine
from . import test_i18n
from . import test_late_fees
