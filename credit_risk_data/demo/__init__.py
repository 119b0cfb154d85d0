from . import credit_risk_data_demo
