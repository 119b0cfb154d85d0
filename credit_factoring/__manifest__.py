{
    "name": "Credit Factoring",
    "summary": "Factoring contracts, buyer approvals, assignment batches, factor statements, "
    "dunning and payment as the contract says",
    "version": "1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/credit-management/credit-management",
    "author": "Credit Management contributors",
    "license": "AGPL-3",
    "depends": ["credit_management", "account_qr_code_sepa"],
    "data": [
        "security/credit_factoring_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "wizards/credit_factoring_batch_add_views.xml",
        "views/credit_factoring_contract_views.xml",
        "views/credit_factoring_batch_views.xml",
        "views/credit_factoring_statement_views.xml",
        "views/account_move_views.xml",
        "views/credit_factoring_menus.xml",
        "report/credit_factoring_batch_report.xml",
        "report/credit_dunning_letter.xml",
    ],
    "demo": [
        "demo/credit_factoring_demo.xml",
    ],
    "external_dependencies": {"python": ["openpyxl", "xlsxwriter"]},
    "installable": True,
}
