from . import credit_insurance_buyer_search
from . import credit_insurance_claim_indemnity
from . import credit_insurance_cover_request
