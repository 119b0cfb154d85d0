import { registry } from "@web/core/registry";

// A collector opens the desk from the Credit menu, then the reminders it counts (data made by
// the Python test: one reminder of a level that needs validation).
registry.category("web_tour.tours").add("credit_management_collector_desk_tour", {
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
            content: "Open the collector's desk",
            trigger: ".o_main_navbar a[data-menu-xmlid='credit_management.credit_collector_desk_menu']",
            run: "click",
        },
        {
            content: "The desk is the collector's, saved: its name in the breadcrumb",
            trigger: ".o_breadcrumb:contains(Collector's Desk: Claire Relance)",
        },
        {
            content: "It counts the reminder to validate; open them",
            trigger: "button[name='action_open']:contains(Reminders to validate):contains(1)",
            run: "click",
        },
        {
            content: "The reminder of the portfolio is listed",
            trigger: ".o_list_view .o_data_row:contains(Boulangeries Martin SAS)",
        },
        {
            content: "Back to the desk",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Collector's Desk)",
            run: "click",
        },
        {
            content: "The desk again",
            trigger: ".o_form_view h1:contains(Today)",
        },
    ],
});
