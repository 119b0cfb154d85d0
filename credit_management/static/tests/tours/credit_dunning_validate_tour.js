import { registry } from "@web/core/registry";

// A collector validates a reminder waiting in "Reminders to Validate" (data made by the Python
// test: one reminder of a level that needs validation).
registry.category("web_tour.tours").add("credit_management_dunning_validate_tour", {
    steps: () => [
        {
            content: "The reminder waits in the collector's list",
            trigger: ".o_list_view .o_data_row:contains(Boulangeries Martin SAS)",
        },
        {
            content: "Open it",
            trigger: ".o_data_row td[name='partner_id']:contains(Boulangeries Martin SAS)",
            run: "click",
        },
        {
            content: "The reminder lists the overdue invoice",
            trigger: ".o_field_one2many[name='line_ids'] .o_data_row:contains(INV/)",
        },
        {
            content: "Validate and send it",
            trigger: ".o_form_statusbar button[name='action_validate']",
            run: "click",
        },
        {
            content: "The reminder is sent",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sent)",
        },
    ],
});
