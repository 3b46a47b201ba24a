/** @odoo-module */

import { registry } from "@web/core/registry";

// The responsible opens the draft plan a customer requested from its reminder page, computes three instalments and
// accepts the plan.
registry.category("web_tour.tours").add("l10n_fr_dunning_payment_plan_tour", {
    steps: () => [
        {
            content: "The draft plan requested from the customer page",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
        {
            content: "It comes from the reminder the customer answered",
            trigger: "div[name='reminder_id']:contains('Boulangerie Martin SARL')",
        },
        {
            content: "Three instalments",
            trigger: "div[name='generate_count'] input",
            run: "edit 3",
        },
        {
            content: "Compute them",
            trigger: "button[name='action_generate_lines']",
            run: "click",
        },
        {
            content: "The third instalment is there",
            trigger: "div[name='line_ids'] .o_data_row:nth-child(3)",
        },
        {
            content: "Accept the plan",
            trigger: "button[name='action_accept']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The plan is accepted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Accepted')",
        },
    ],
});
