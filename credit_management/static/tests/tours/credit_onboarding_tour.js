import { registry } from "@web/core/registry";

// A credit manager finds the first-run checklist on the desk and does the test run from it
// (data made by the Python test: one overdue invoice of a customer with an email address).
registry.category("web_tour.tours").add("credit_management_onboarding_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Credit app",
            trigger: ".o_app[data-menu-xmlid='credit_management.credit_management_menu_root']",
            run: "click",
        },
        {
            content: "The checklist is on the desk, nothing done yet",
            trigger: ".o_credit_onboarding:contains(0 / 5)",
        },
        {
            content: "Open the test run",
            trigger: ".o_credit_onboarding_step[data-step-done='0']:contains(Test run)",
            run: "click",
        },
        {
            content: "Run the test",
            trigger: ".modal button[name='action_run']",
            run: "click",
        },
        {
            content: "The reminder the run would create is listed",
            trigger: ".modal .o_data_row:contains(Boulangeries Martin SAS)",
        },
        {
            content: "Close the test run",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The test run is ticked",
            trigger: ".o_credit_onboarding_step[data-step-done='1']:contains(Test run)",
        },
        {
            content: "Hide the checklist",
            trigger: ".o_credit_onboarding button:contains(Hide the checklist)",
            run: "click",
        },
        {
            content: "The desk without its checklist",
            trigger: ".o_form_view:not(:has(.o_credit_onboarding)) h1:contains(Today)",
        },
    ],
});
