import { registry } from "@web/core/registry";

// A sales rep opens a quotation of a customer on credit hold (data made by the Python test).
registry.category("web_tour.tours").add("credit_management_hold_tour", {
    steps: () => [
        {
            content: "The banner tells the rep why the customer is on hold",
            trigger: ".o_credit_hold_banner:contains(Credit limit exceeded)",
        },
        {
            content: "and the credit still available",
            trigger: ".o_credit_hold_banner:contains(Available credit)",
        },
        {
            content: "The rep tries to confirm the quotation",
            trigger: ".o_form_statusbar button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Confirming fails with the reasons of the hold",
            trigger: ".modal-dialog:contains(is on credit hold):contains(Ask a credit manager)",
        },
        {
            content: "Close the message",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Quotation)",
        },
    ],
});
