import { registry } from "@web/core/registry";

// A customer opens the link of a reminder (two overdue invoices, made by the Python test),
// keeps the older invoice only and pays it with the demo provider.
registry.category("web_tour.tours").add("payment_link_pay_tour", {
    steps: () => [
        {
            content: "The page lists the reminder's invoices, all selected",
            trigger: ".o_payment_link_page tr[data-status='payable'] input:checked",
        },
        {
            content: "Keep only the older invoice: untick the second one",
            trigger: ".o_payment_link_invoices tbody tr:nth-child(2) input.o_payment_link_move",
            run: "click",
        },
        {
            content: "Continue to the payment",
            trigger: "button.o_payment_link_continue",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The amount is the older invoice's",
            trigger: ".o_payment_link_amount:contains(300.00)",
        },
        {
            content: "Choose the demo payment method",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "Enter the (fake) card number",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the link's page: the paid invoice is shown as paid",
            trigger: ".o_payment_link_page tr[data-status='paid']",
            timeout: 20000,
        },
    ],
});
