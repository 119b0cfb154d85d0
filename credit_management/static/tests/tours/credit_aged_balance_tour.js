import { registry } from "@web/core/registry";

// A credit manager opens the aged balance (data made by the Python test: one overdue invoice
// of Boulangeries Martin SAS): the customer's row and the two export buttons of the control
// panel are there.
registry.category("web_tour.tours").add("credit_management_aged_balance_tour", {
    steps: () => [
        {
            content: "The customer's row is listed",
            trigger: ".o_list_view .o_data_row:contains(Boulangeries Martin SAS)",
        },
        {
            content: "The XLSX export is offered",
            trigger: ".o_control_panel button.o_credit_aged_balance_xlsx:contains(XLSX)",
        },
        {
            content: "The PDF is offered",
            trigger: ".o_control_panel button.o_credit_aged_balance_pdf:contains(PDF)",
        },
    ],
});
