from . import credit_insurance_demo
