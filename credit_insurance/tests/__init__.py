from . import test_i18n
from . import test_insurance_access
from . import test_insurance_cover
from . import test_insurance_exposure
from . import test_insurance_invoice
from . import test_insurance_connector_allianz
