/** @odoo-module */

import { registry } from "@web/core/registry";

// An accountant opens the invoices in dunning, reads an invoice's Dunning tab and marks it disputed.
registry.category("web_tour.tours").add("l10n_fr_dunning_tour", {
    steps: () => [
        {
            content: "The dunning list shows the customer's invoice with its level",
            trigger: ".o_data_row:has(td:contains('Tour Client SAS')):has(span:contains('1re relance'))",
        },
        {
            content: "Open the invoice",
            trigger: ".o_data_row td:contains('Tour Client SAS')",
            run: "click",
        },
        {
            content: "Open the Dunning tab",
            trigger: "a.nav-link:contains('Dunning')",
            run: "click",
        },
        {
            content: "The tab shows the level reached",
            trigger: "div[name='dunning_level_id']:contains('1re relance')",
        },
        {
            content: "Mark the invoice disputed",
            trigger: "button:contains('Mark disputed')",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] input",
            run: "edit Marchandise non conforme",
        },
        {
            content: "Confirm",
            trigger: ".modal footer button:contains('Mark disputed')",
            run: "click",
        },
        {
            content: "The invoice says it is disputed",
            trigger: ".alert-info:contains('Disputed: no reminder is sent') div[name='dunning_dispute_reason']",
        },
    ],
});
