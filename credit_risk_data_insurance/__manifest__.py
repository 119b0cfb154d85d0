{
    "name": "Credit Risk Data - Credit Insurance",
    "summary": "An insolvency event alerts the credit insurer and marks the insured invoices "
    "for the insurer's declaration",
    "version": "1.1.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-management/credit-management",
    "author": "Credit Management contributors",
    "license": "AGPL-3",
    "depends": ["credit_risk_data", "credit_insurance"],
    "auto_install": True,
    "installable": True,
}
