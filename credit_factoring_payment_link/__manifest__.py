{
    "name": "Credit Factoring - Payment Links",
    "summary": "No payment link of the company for invoices to be paid to a factor",
    "version": "1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-management/credit-management",
    "author": "Credit Management contributors",
    "license": "AGPL-3",
    "depends": ["credit_factoring", "payment_link"],
    "auto_install": True,
    "installable": True,
}
