/** @odoo-module */

import { registry } from "@web/core/registry";

// A customer without an account opens the link of a reminder, promises to pay, disputes an invoice and asks
// for a payment plan.
registry.category("web_tour.tours").add("l10n_fr_dunning_portal_tour", {
    steps: () => [
        {
            content: "The page lists the customer's overdue invoices",
            trigger: "h1:contains('Vos factures en attente de règlement')",
        },
        {
            content: "Choose the payment date: in ten days",
            trigger: "form.o_dunning_promise input[name='date']",
            run() {
                this.anchor.value = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
            },
        },
        {
            content: "Promise 100 euros",
            trigger: "form.o_dunning_promise input[name='amount']",
            run: "edit 100,00",
        },
        {
            content: "Send the promise",
            trigger: "form.o_dunning_promise button[type='submit']",
            run: "click",
        },
        {
            content: "The promise is received",
            trigger: ".alert-success[data-answer='promise']",
        },
        {
            content: "Give the reason of the dispute",
            trigger: "form.o_dunning_dispute input[name='reason']",
            run: "edit Produit abîmé",
        },
        {
            content: "Report the dispute",
            trigger: "form.o_dunning_dispute button[type='submit']",
            run: "click",
        },
        {
            content: "The dispute is received and the invoice shows it",
            trigger: ".alert-success[data-answer='dispute']",
        },
        {
            content: "The invoice is shown disputed",
            trigger: "table.o_dunning_invoices .badge:contains('Contestée')",
        },
        {
            content: "Ask for a payment plan",
            trigger: "form.o_dunning_plan textarea[name='request_text']",
            run: "edit Trois mensualités, s'il vous plaît",
        },
        {
            content: "Send the request",
            trigger: "form.o_dunning_plan button[type='submit']",
            run: "click",
        },
        {
            content: "The request is received",
            trigger: ".alert-success[data-answer='plan']",
        },
    ],
});
