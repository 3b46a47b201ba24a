/** @odoo-module */

import { registry } from "@web/core/registry";

// The credit controller, in French: sends a customer's next reminder through its preview (a promise to pay runs:
// the preview warns, the controller overrides it with a reason), then runs the dunning after its dry run and
// reads the run's summary.
registry.category("web_tour.tours").add("l10n_fr_dunning_controller_tour", {
    steps: () => [
        {
            content: "Open the customer's Dunning tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='dunning']",
            run: "click",
        },
        {
            content: "Send the next reminder",
            trigger: "button[name='action_dunning_send_next']:contains('Envoyer la relance suivante')",
            run: "click",
        },
        {
            content: "The preview says nothing is created yet and shows the email of the 1re relance",
            trigger: ".modal .alert-warning:contains('Une promesse de paiement court')",
        },
        {
            content: "The email's subject names the level",
            trigger: ".modal div[name='mail_subject']:contains('1re relance')",
        },
        {
            content: "Confirming without an override is refused",
            trigger: ".modal footer button:contains('Confirmer et envoyer')",
            run: "click",
        },
        {
            content: "The refusal asks for the override",
            trigger: ".o_error_dialog:contains('Envoyer quand même') button.btn-primary",
            run: "click",
        },
        {
            content: "Send anyway",
            trigger: ".modal div[name='override'] input",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='override_reason'] input",
            run: "edit Le client a demandé un rappel écrit",
        },
        {
            content: "Confirm and send",
            trigger: ".modal footer button:contains('Confirmer et envoyer')",
            run: "click",
        },
        {
            content: "The reminder was sent, with the reason kept",
            trigger: ".o_form_view div[name='override_reason']:contains('Le client a demandé un rappel écrit')",
        },
        {
            content: "Open the Customers menu",
            trigger: "button[data-menu-xmlid='account.menu_finance_receivables']",
            run: "click",
        },
        {
            content: "Run dunning now",
            trigger: "[data-menu-xmlid='l10n_fr_dunning.menu_run_dunning_now']",
            run: "click",
        },
        {
            content: "The dry run lists the other customer, at its level, and nothing is sent yet",
            trigger: ".modal:contains('Simulation') .o_data_row:has(td:contains('Quincaillerie Simon')):has(td:contains('1re relance'))",
        },
        {
            content: "Confirm and run",
            trigger: ".modal footer button:contains('Confirmer et lancer')",
            run: "click",
        },
        {
            content: "The run's summary shows the reminder it sent",
            trigger: ".o_form_view div[name='reminder_ids'] .o_data_row:has(td:contains('Quincaillerie Simon'))",
        },
        {
            content: "The run is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Terminé')",
        },
    ],
});
